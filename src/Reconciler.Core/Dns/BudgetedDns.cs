namespace Reconciler.Core.Dns;

/// <summary>
/// One run's DNS, counted: every lookup (one zone's NS set, one name's TXT at one server, one update) takes one from the
/// run's budget, and past it a lookup is not made at all and answers as a value saying so. Class closed here: what a run
/// asks of DNS is bounded per run, not per domain — many domains × selectors × nameservers × hosts, each bounded on
/// its own, would otherwise add up to as many packets (to servers a spec names) as a pull request cares to declare.
/// </summary>
public sealed class BudgetedDns(IAuthoritativeDns inner, int maxLookups) : IAuthoritativeDns
{
    /// <summary>
    /// Lookups per run: far above an honest fleet (the sample asks 7: one NS set, two selectors at two nameservers and the
    /// primary), far below what would make a run a packet cannon. An NS-set lookup asks at most 33 questions, any other
    /// at most one (over UDP, twice, or TCP once).
    /// </summary>
    public const int DefaultMaxLookups = 4096;

    private int _used;

    public int MaxLookups { get; } = maxLookups;

    /// <summary>Lookups this run has made so far.</summary>
    public int Used => Math.Min(Volatile.Read(ref _used), MaxLookups);

    public Task<NameserverLookup> NameserversAsync(string zone, System.Net.IPEndPoint? askFirst, CancellationToken ct) =>
        Take() ? inner.NameserversAsync(zone, askFirst, ct) : Task.FromResult<NameserverLookup>(new NameserverLookup.Failed(Refusal));

    public Task<TxtLookup> TxtAsync(Nameserver server, string name, CancellationToken ct) =>
        Take() ? inner.TxtAsync(server, name, ct) : Task.FromResult<TxtLookup>(new TxtLookup.Unreachable(Refusal));

    public Task<string?> ReplaceTxtAsync(DnsUpdateTarget target, string name, int ttl, IReadOnlyList<string> strings, CancellationToken ct) =>
        Take() ? inner.ReplaceTxtAsync(target, name, ttl, strings, ct) : Task.FromResult<string?>(Refusal);

    public Task<string?> DeleteTxtAsync(DnsUpdateTarget target, string name, CancellationToken ct) =>
        Take() ? inner.DeleteTxtAsync(target, name, ct) : Task.FromResult<string?>(Refusal);

    private bool Take() => Interlocked.Increment(ref _used) <= MaxLookups;

    private string Refusal =>
        $"not asked: this run's budget of {MaxLookups} DNS lookups (all domains, selectors, nameservers and hosts together) is used up; " +
        "the specs ask more than one run may";
}
