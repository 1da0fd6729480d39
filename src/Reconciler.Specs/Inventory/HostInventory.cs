using Reconciler.Core.Model;

namespace Reconciler.Specs.Inventory;

/// <summary>
/// The hosts of a valid inventory file, with variables layered, the group names targets may use, and which MariaDB
/// databases and tables specs may manage on each host.
/// </summary>
internal sealed record HostInventory(string DisplayPath, IReadOnlyList<HostSpec> Hosts, IReadOnlySet<string> Groups)
{
    public MariaDbAllowlist MariaDb { get; init; } = MariaDbAllowlist.Empty;

    /// <summary>What specs may manage in MariaDB on <paramref name="host"/>, by this inventory (see <see cref="MariaDbAllowlist"/>).</summary>
    public Core.Resources.MariaDb.MariaDbScope MariaDbScopeFor(string host) => MariaDb.For(host, this);

    public const string AllGroup = "all";
}
