using Reconciler.Core.Diagnostics;

namespace Reconciler.Core.Specs;

/// <summary>
/// One node of a parsed spec file. Our own tree (not YamlDotNet's representation model) so that building it needs no
/// recursion and every node keeps the location diagnostics point at.
/// </summary>
/// <param name="ExpandedSize">Nodes this subtree stands for once aliases are expanded; bounds the cost of walking it.</param>
public abstract record SpecNode(SourceLocation Location, int ExpandedSize);
