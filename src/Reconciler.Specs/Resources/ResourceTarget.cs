using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Specs;
using Reconciler.Specs.Inventory;

namespace Reconciler.Specs.Resources;

/// <summary>The hosts a resources file applies to: one group (possibly 'all') or one host.</summary>
internal sealed record ResourceTarget(string? Group, string? Host, SourceLocation Location)
{
    public bool Matches(HostSpec host) =>
        Host is not null
            ? host.Name == Host
            : Group == HostInventory.AllGroup || host.Groups.Contains(Group!);

    public override string ToString() => Host is not null ? $"host '{Host}'" : $"group '{Group}'";
}
