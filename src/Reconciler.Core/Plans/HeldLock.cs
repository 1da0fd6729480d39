using System.Globalization;
using System.Text.RegularExpressions;

namespace Reconciler.Core.Plans;

/// <summary>
/// The apply lock as a plan or drift read found it on the host: who holds it (as the holder wrote itself: "MACHINE pid
/// PID run ID"), since when, and how old it is by the host's own clock (null when the host could not tell).
/// </summary>
public sealed partial record HeldLock(string Holder, string? Since, long? AgeSeconds)
{
    /// <summary>
    /// The holder field exactly as the host's read gave it (empty when the owner file was missing or may not be shown):
    /// what clearing compares, so an unread holder is not mistaken for a change of holder.
    /// </summary>
    public string HolderAsRead { get; init; } = Holder;

    /// <summary>The controller machine and process that took the lock, when the holder is in the form the reconciler writes.</summary>
    public (string Machine, int Pid)? Controller =>
        HolderForm().Match(Holder) is { Success: true } m && int.TryParse(m.Groups["pid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? (m.Groups["machine"].Value, pid)
            : null;

    /// <summary>
    /// Why the lock is provably left by a run that is gone, or null when its holder may still be at work: older than
    /// <paramref name="ttl"/>, or taken on <paramref name="thisMachine"/> by a process that no longer runs there.
    /// </summary>
    public string? WhyStale(TimeSpan ttl, string thisMachine, Func<int, bool> processRuns)
    {
        if (AgeSeconds is { } age && age >= (long)ttl.TotalSeconds)
        {
            return $"older than the lock's time limit of {ttl.TotalMinutes:0.#} min";
        }

        return Controller is { } c && c.Machine == thisMachine && !processRuns(c.Pid)
            ? $"its process, pid {c.Pid} on this machine ({thisMachine}), is gone"
            : null;
    }

    [GeneratedRegex(@"^(?<machine>.+) pid (?<pid>[0-9]{1,9})( run [0-9a-f]{1,32})?\z")]
    private static partial Regex HolderForm();
}
