namespace Reconciler.Core.Resources.Firewall;

/// <summary>
/// A set as the host has it: live (<paramref name="Live"/> null when the set does not exist) and persisted in
/// /etc/iptables/ipsets (<paramref name="Persisted"/> null when the file or the set in it is missing).
/// </summary>
public sealed record BlockSetObserved(
    bool IpsetInstalled,
    string? LiveType,
    string? LiveFamily,
    IReadOnlySet<string>? Live,
    IReadOnlySet<string>? Persisted,
    bool PersistenceInstalled);
