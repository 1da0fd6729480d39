using Reconciler.Core.Diagnostics;
using Reconciler.Core.Specs;
using Reconciler.Specs.Schema;
using Reconciler.Specs.Yaml;

namespace Reconciler.Specs;

/// <summary>Reads the top-level <c>kind:</c> that selects a file's schema.</summary>
internal static class SpecFileKindReader
{
    private static readonly IReadOnlyDictionary<string, SpecFileKind> Kinds = new Dictionary<string, SpecFileKind>
    {
        ["inventory"] = SpecFileKind.Inventory,
        ["resources"] = SpecFileKind.Resources,
    };

    private const string Expected = "expected 'kind: inventory' or 'kind: resources'";

    public static SpecFileKind? Read(SpecNode? root, string displayPath, ICollection<Diagnostic> diagnostics)
    {
        if (root is not SpecMapping mapping)
        {
            var location = root?.Location ?? new SourceLocation(displayPath, 1, 1);
            var problem = root is null || root is SpecScalar { Value: null } ? "file is empty" : "file is not a mapping";
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnknownFileKind, $"{problem}; {Expected}", location));
            return null;
        }

        if (mapping["kind"] is not SpecScalar { Value: string kindName } kindNode)
        {
            var location = mapping["kind"]?.Location ?? mapping.Location;
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnknownFileKind, $"missing 'kind'; {Expected}", location));
            return null;
        }

        if (!Kinds.TryGetValue(kindName, out var kind))
        {
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.UnknownFileKind,
                $"unknown kind '{kindName}'; {Expected}{DidYouMean.Suggest(kindName, Kinds.Keys)}",
                kindNode.Location));
            return null;
        }

        return kind;
    }
}
