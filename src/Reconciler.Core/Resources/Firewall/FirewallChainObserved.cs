namespace Reconciler.Core.Resources.Firewall;

/// <summary>
/// The managed chain of one family live and in /etc/iptables/rules.vN (<paramref name="Persisted"/> null when that file
/// is missing), plus the family's <c>rc-</c> ipsets that exist live. <paramref name="Error"/> is why the ruleset could
/// not be read (missing tools, no permission).
/// </summary>
public sealed record FirewallChainObserved(
    string? Error,
    ChainState Live,
    ChainState? Persisted,
    IReadOnlyList<string> LiveSets,
    bool PersistenceInstalled);
