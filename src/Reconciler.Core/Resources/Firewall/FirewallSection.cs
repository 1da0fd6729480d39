using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Firewall;

/// <summary>
/// One file's <c>firewall:</c> section as declared. It is not applied by itself: the managed chain is rewritten as a
/// whole, so <see cref="FirewallComposer"/> joins every section reaching a host into the set and chain resources.
/// </summary>
public sealed record FirewallSection(IReadOnlyList<BlockSet> BlockSets, IReadOnlyList<FlagRule> FlagRules, SourceLocation Source) : Resource(Source)
{
    public override ResourceAddress Address => new("firewall", Source.ToString());
}
