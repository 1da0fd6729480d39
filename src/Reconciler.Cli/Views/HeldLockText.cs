using System.Diagnostics;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Views;

/// <summary>
/// A held apply lock as plan, drift and unlock say it: who holds it and since when, and — when its holder is provably
/// gone — that it is stale, with the command that clears it. Plain text; each view escapes it for its medium.
/// </summary>
internal static class HeldLockText
{
    public static string Describe(string host, HeldLock held, TimeSpan ttl)
    {
        var who = $"locked by {held.Holder}{(held.Since is null ? "" : $" since {held.Since}")}";
        return WhyStale(held, ttl) is { } stale
            ? $"{who}: stale, {stale}; an apply takes it over once it is {ttl.TotalMinutes:0.#} min old, or clear it now with `reconciler unlock {host}`"
            : $"{who}: an apply may be running; another apply waits for it or is refused";
    }

    public static string? WhyStale(HeldLock held, TimeSpan ttl) => held.WhyStale(ttl, Environment.MachineName, Runs);

    /// <summary>Whether a process of this machine runs; a pid of another machine is never asked.</summary>
    private static bool Runs(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
