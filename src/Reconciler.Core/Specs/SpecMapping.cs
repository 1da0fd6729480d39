using Reconciler.Core.Diagnostics;

namespace Reconciler.Core.Specs;

/// <summary>A mapping whose keys are scalars and unique (the reader reports duplicates instead of building them).</summary>
public sealed record SpecMapping(SourceLocation Location, IReadOnlyList<SpecMappingEntry> Entries, int ExpandedSize)
    : SpecNode(Location, ExpandedSize)
{
    public SpecMappingEntry? Find(string key) => Entries.FirstOrDefault(e => e.Key.RawText == key);

    public SpecNode? this[string key] => Find(key)?.Value;
}
