using Reconciler.Core.Model;

namespace Reconciler.Specs.Inventory;

/// <summary>
/// The hosts of a valid inventory file, with variables layered, the group names targets may use, and which MariaDB
/// databases and tables specs may manage on each host.
/// </summary>
internal sealed record HostInventory(string DisplayPath, IReadOnlyList<HostSpec> Hosts, IReadOnlySet<string> Groups)
{
    public MariaDbAllowlist MariaDb { get; init; } = MariaDbAllowlist.Empty;

    /// <summary>
    /// Hosts marked <c>bastion_only</c>: other hosts are reached through them (<c>via</c>), but they are not managed —
    /// not planned, applied or checked for drift, not in any group, and no target may name them.
    /// </summary>
    public IReadOnlyList<HostSpec> Bastions { get; init; } = [];

    /// <summary>The inventory's <c>defaults: { parallel: N }</c>: how many hosts a run works on at once; null: the built-in default.</summary>
    public int? Parallel { get; init; }

    /// <summary>What specs may manage in MariaDB on <paramref name="host"/>, by this inventory (see <see cref="MariaDbAllowlist"/>).</summary>
    public Core.Resources.MariaDb.MariaDbScope MariaDbScopeFor(string host) => MariaDb.For(host, this);

    public const string AllGroup = "all";
}
