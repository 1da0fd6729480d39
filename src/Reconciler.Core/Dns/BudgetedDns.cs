using System.Collections.Concurrent;
using System.Net;

namespace Reconciler.Core.Dns;

/// <summary>
/// One run's DNS, bounded as a whole. Classes closed here — what a run asks of DNS, and how long a silent server holds
/// it up, are bounded per run, not per lookup: many domains × selectors × nameservers × hosts, each bounded on its own,
/// would otherwise add up to as many packets (to servers a spec names) and as many timeouts as the specs declare.
/// <list type="bullet">
/// <item>Every lookup (one zone's NS set, one name's TXT at one server, one update) takes one from the run's budget;
/// past it a lookup is not made and answers as a value saying so.</item>
/// <item>At most <see cref="MaxConcurrent"/> lookups are in flight at once, whatever the hosts and selectors.</item>
/// <item>A server whose lookup ended unreachable after waiting (<see cref="Silence"/> or more: it timed out, it did not
/// refuse) is not asked again in this run: later lookups of it answer with the same reason at once, so a dead or
/// slow nameserver costs a run one timeout, not one per domain, selector and host.</item>
/// </list>
/// </summary>
public sealed class BudgetedDns(IAuthoritativeDns inner, int maxLookups, TimeProvider? clock = null) : IAuthoritativeDns
{
    /// <summary>
    /// Lookups per run: far above an honest fleet (the sample asks 7: one NS set, two selectors at two nameservers and the
    /// primary), far below what would make a run a packet cannon. An NS-set lookup asks at most 33 questions, any other
    /// at most one (over UDP, twice, or TCP once).
    /// </summary>
    public const int DefaultMaxLookups = 4096;

    /// <summary>Lookups in flight at once in a run: enough to ask every nameserver of a few domains together.</summary>
    public const int MaxConcurrent = 32;

    /// <summary>How long an unreachable lookup waited before its server counts as silent for the rest of the run.</summary>
    public static readonly TimeSpan Silence = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly SemaphoreSlim _slots = new(MaxConcurrent);
    private readonly ConcurrentDictionary<IPEndPoint, string> _silent = new();
    private int _used;

    public int MaxLookups { get; } = maxLookups;

    /// <summary>Lookups this run has made so far.</summary>
    public int Used => Math.Min(Volatile.Read(ref _used), MaxLookups);

    public async Task<NameserverLookup> NameserversAsync(string zone, IPEndPoint? askFirst, CancellationToken ct)
    {
        if (askFirst is not null && _silent.TryGetValue(askFirst, out var silent)) return new NameserverLookup.Failed(silent);
        if (!Take()) return new NameserverLookup.Failed(Refusal);
        var (lookup, waited) = await TimedAsync(() => inner.NameserversAsync(zone, askFirst, ct), ct);
        if (askFirst is not null && lookup is NameserverLookup.Failed failed && waited >= Silence) _silent.TryAdd(askFirst, failed.Reason);
        return lookup;
    }

    public async Task<TxtLookup> TxtAsync(Nameserver server, string name, CancellationToken ct)
    {
        var endpoint = new IPEndPoint(server.Address, server.Port);
        if (_silent.TryGetValue(endpoint, out var silent)) return new TxtLookup.Unreachable(silent);
        if (!Take()) return new TxtLookup.Unreachable(Refusal);
        var (lookup, waited) = await TimedAsync(() => inner.TxtAsync(server, name, ct), ct);
        if (lookup is TxtLookup.Unreachable unreachable && waited >= Silence) _silent.TryAdd(endpoint, unreachable.Reason);
        return lookup;
    }

    public async Task<string?> ReplaceTxtAsync(DnsUpdateTarget target, string name, int ttl, IReadOnlyList<string> strings, CancellationToken ct) =>
        Take() ? (await TimedAsync(() => inner.ReplaceTxtAsync(target, name, ttl, strings, ct), ct)).Result : Refusal;

    public async Task<string?> DeleteTxtAsync(DnsUpdateTarget target, string name, CancellationToken ct) =>
        Take() ? (await TimedAsync(() => inner.DeleteTxtAsync(target, name, ct), ct)).Result : Refusal;

    private async Task<(T Result, TimeSpan Waited)> TimedAsync<T>(Func<Task<T>> lookup, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        try
        {
            var started = _clock.GetTimestamp();
            var result = await lookup();
            return (result, _clock.GetElapsedTime(started));
        }
        finally
        {
            _slots.Release();
        }
    }

    private bool Take() => Interlocked.Increment(ref _used) <= MaxLookups;

    private string Refusal =>
        $"not asked: this run's budget of {MaxLookups} DNS lookups (all domains, selectors, nameservers and hosts together) is used up; " +
        "the specs ask more than one run may";
}
