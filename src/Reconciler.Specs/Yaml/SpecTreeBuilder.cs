using Reconciler.Core.Specs;
using Reconciler.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Reconciler.Specs.Yaml;

/// <summary>
/// Consumes parser events one at a time, keeping open collections on an explicit stack and counting nodes as if
/// aliases were expanded. Returns false from <see cref="Accept"/> once it has reported a reason to stop.
/// </summary>
internal sealed class SpecTreeBuilder(string displayPath, ICollection<Diagnostic> diagnostics)
{
    private readonly Stack<SpecCollectionFrame> _open = new();
    private readonly Dictionary<string, SpecNode> _anchors = new(StringComparer.Ordinal);
    private int _documents;
    private int _expandedNodes;

    public SpecNode? Root { get; private set; }

    public bool Accept(ParsingEvent current) => current switch
    {
        DocumentStart => StartDocument(current),
        Scalar scalar => AcceptScalar(scalar),
        AnchorAlias alias => AcceptAlias(alias),
        SequenceStart or MappingStart => Open((NodeEvent)current),
        SequenceEnd or MappingEnd => Close(),
        _ => true,
    };

    public void Fail(string code, string message, Mark mark, string? text = null) =>
        diagnostics.Add(Diagnostic.Error(code, message, At(mark)) with
        {
            Excerpt = text is null ? null : SourceExcerpt.At(text, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column)),
        });

    private SourceLocation At(Mark mark) => new(displayPath, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private bool StartDocument(ParsingEvent current)
    {
        if (++_documents > 1)
        {
            Fail(DiagnosticCodes.YamlSyntax, "only one YAML document per file is allowed", current.Start);
            return false;
        }

        return true;
    }

    private bool AcceptScalar(Scalar scalar)
    {
        if (!Count(1, scalar.Start, isAlias: false))
        {
            return false;
        }

        var isPlain = scalar.Style == ScalarStyle.Plain;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        var node = new SpecScalar(At(scalar.Start), scalar.Value, isPlain, CoreSchemaScalar.Resolve(scalar.Value, isPlain, tag));
        Remember(scalar, node);
        return Attach(node, node.Location);
    }

    private bool AcceptAlias(AnchorAlias alias)
    {
        if (!_anchors.TryGetValue(alias.Value.Value, out var target))
        {
            Fail(DiagnosticCodes.YamlSyntax,
                $"alias '*{alias.Value.Value}' refers to no anchor defined (and closed) before it", alias.Start);
            return false;
        }

        return Count(target.ExpandedSize, alias.Start, isAlias: true) && Attach(target, At(alias.Start));
    }

    private bool Open(NodeEvent start)
    {
        if (_open.Count >= SpecYamlReader.MaxDepth)
        {
            Fail(DiagnosticCodes.NestingTooDeep, $"nesting is deeper than {SpecYamlReader.MaxDepth} levels", start.Start);
            return false;
        }

        if (!Count(1, start.Start, isAlias: false))
        {
            return false;
        }

        _open.Push(new SpecCollectionFrame(start, At(start.Start), start is MappingStart));
        return true;
    }

    private bool Close()
    {
        var frame = _open.Pop();
        SpecNode node = frame.IsMapping
            ? new SpecMapping(frame.Location, frame.Entries, frame.ExpandedSize)
            : new SpecSequence(frame.Location, frame.Items, frame.ExpandedSize);
        Remember(frame.Start, node);
        return Attach(node, node.Location);
    }

    private void Remember(NodeEvent nodeEvent, SpecNode node)
    {
        if (!nodeEvent.Anchor.IsEmpty)
        {
            _anchors[nodeEvent.Anchor.Value] = node;
        }
    }

    /// <summary>Counts nodes as if every alias were expanded, so consumers may walk the tree without limits.</summary>
    private bool Count(int nodes, Mark at, bool isAlias)
    {
        _expandedNodes += nodes;
        if (_expandedNodes <= SpecYamlReader.MaxExpandedNodes)
        {
            return true;
        }

        Fail(DiagnosticCodes.AliasLimit,
            isAlias
                ? $"alias expansion exceeds {SpecYamlReader.MaxExpandedNodes} nodes"
                : $"document has more than {SpecYamlReader.MaxExpandedNodes} nodes",
            at);
        return false;
    }

    private bool Attach(SpecNode node, SourceLocation usedAt)
    {
        if (_open.Count == 0)
        {
            Root = node;
            return true;
        }

        var parent = _open.Peek();
        parent.ExpandedSize += node.ExpandedSize;
        if (!parent.IsMapping)
        {
            parent.Items.Add(node);
            return true;
        }

        if (parent.PendingKey is null)
        {
            return AttachKey(parent, node, usedAt);
        }

        if (!parent.SkipValue)
        {
            parent.Entries.Add(new SpecMappingEntry(parent.PendingKey, node));
        }

        parent.PendingKey = null;
        parent.SkipValue = false;
        return true;
    }

    private bool AttachKey(SpecCollectionFrame parent, SpecNode node, SourceLocation usedAt)
    {
        if (node is not SpecScalar key)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, "mapping keys must be scalars", usedAt));
            return false;
        }

        // An aliased key is reported where the alias is, not where its anchor was defined.
        key = key with { Location = usedAt };
        if (parent.Keys.TryGetValue(key.RawText, out var first))
        {
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.DuplicateKey,
                $"duplicate key '{key.RawText}' (first defined on line {first.Location.Line})",
                key.Location));
            parent.SkipValue = true;
        }
        else
        {
            parent.Keys.Add(key.RawText, key);
        }

        parent.PendingKey = key;
        return true;
    }
}
