using Reconciler.Core.Model;

namespace Reconciler.Specs.Inventory;

/// <summary>The hosts of a valid inventory file, with variables layered, and the group names targets may use.</summary>
internal sealed record HostInventory(string DisplayPath, IReadOnlyList<HostSpec> Hosts, IReadOnlySet<string> Groups)
{
    public const string AllGroup = "all";
}
