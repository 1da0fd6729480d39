using Reconciler.Core.Diagnostics;

namespace Reconciler.Core.Specs;

/// <summary>
/// A scalar with its text exactly as written (so a mode written 0644 stays "0644") and its YAML 1.2 core-schema value.
/// </summary>
public sealed record SpecScalar(SourceLocation Location, string RawText, bool IsPlain, object? Value)
    : SpecNode(Location, 1);
