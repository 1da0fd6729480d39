using Reconciler.Core.Diagnostics;

namespace Reconciler.Core.Specs;

public sealed record SpecSequence(SourceLocation Location, IReadOnlyList<SpecNode> Items, int ExpandedSize)
    : SpecNode(Location, ExpandedSize);
