using Reconciler.Core.Diagnostics;

namespace Reconciler.Specs.Yaml;

internal sealed record SpecSequence(SourceLocation Location, IReadOnlyList<SpecNode> Items, int ExpandedSize)
    : SpecNode(Location, ExpandedSize);
