using Reconciler.Core.Specs;
using Reconciler.Core.Diagnostics;
using YamlDotNet.Core.Events;

namespace Reconciler.Specs.Yaml;

/// <summary>A mapping or sequence whose end event has not been seen yet.</summary>
internal sealed class SpecCollectionFrame(NodeEvent start, SourceLocation location, bool isMapping)
{
    public NodeEvent Start { get; } = start;
    public SourceLocation Location { get; } = location;
    public bool IsMapping { get; } = isMapping;
    public int ExpandedSize { get; set; } = 1;
    public List<SpecNode> Items { get; } = [];
    public List<SpecMappingEntry> Entries { get; } = [];
    public Dictionary<string, SpecScalar> Keys { get; } = new(StringComparer.Ordinal);
    public SpecScalar? PendingKey { get; set; }
    public bool SkipValue { get; set; }
}
