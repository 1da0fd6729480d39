using Reconciler.Core.Diagnostics;
using Reconciler.Core.Resources;
using Reconciler.Core.Secrets;
using Reconciler.Core.Specs;

namespace Reconciler.Specs.Resources;

/// <summary>Turns a schema-valid resources tree into declarations, reporting every per-file semantic problem.</summary>
internal static class ResourceFileReader
{
    /// <summary>
    /// Each kind reads its own sections, kinds in their apply order (<see cref="KindCatalog.InApplyOrder"/>), so a file's
    /// declarations are in the order apply follows. Returns null when the file has errors (added to <paramref name="diagnostics"/>).
    /// </summary>
    public static ResourceFile? Read(SpecMapping root, string displayPath, ISpecFiles files, SecretStore secrets, KindCatalog kinds, ICollection<Diagnostic> diagnostics)
    {
        var errorsBefore = diagnostics.Count;
        var target = ReadTarget(root.Mapping("target")!);
        var reading = new SpecReading(files, secrets, diagnostics);
        var declarations = kinds.InApplyOrder.SelectMany(kind => kind.Read(root, reading).ToList()).ToList();

        // Warnings (duplicate block-list entries) are reported but do not reject the file.
        return diagnostics.Skip(errorsBefore).Any(d => d.Severity == Severity.Error) ? null : new ResourceFile(displayPath, target, declarations);
    }

    private static ResourceTarget ReadTarget(SpecMapping target)
    {
        var entry = target.Entries[0];
        return entry.Key.RawText == "host"
            ? new ResourceTarget(null, ((SpecScalar)entry.Value).RawText, entry.Value.Location)
            : new ResourceTarget(((SpecScalar)entry.Value).RawText, null, entry.Value.Location);
    }
}
