using Reconciler.Core.Resources.MariaDb;

namespace Reconciler.Specs.Inventory;

/// <summary>
/// What the inventory's <c>mariadb: { manage: [...] }</c> lists — top level for every host, under a group for its
/// members, under a host for that host — joined per host. Maintainers own the inventory; a host gets the union of the
/// lists of the inventory it is resolved in, membership included, so a trusted copy decides alone.
/// </summary>
internal sealed record MariaDbAllowlist(
    IReadOnlyList<string> All,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Groups,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Hosts)
{
    public static readonly MariaDbAllowlist Empty = new([], new Dictionary<string, IReadOnlyList<string>>(), new Dictionary<string, IReadOnlyList<string>>());

    /// <summary>
    /// The scope of <paramref name="host"/> by name: the top-level list, then its groups' and its own as this inventory
    /// declares them. A host this inventory does not declare gets only the top-level list.
    /// </summary>
    public MariaDbScope For(string host, HostInventory inventory)
    {
        var declared = inventory.Hosts.FirstOrDefault(h => h.Name == host);
        var entries = All
            .Concat(declared?.Groups.SelectMany(g => Groups.GetValueOrDefault(g) ?? []) ?? [])
            .Concat(declared is null ? [] : Hosts.GetValueOrDefault(host) ?? [])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new MariaDbScope(entries);
    }
}
