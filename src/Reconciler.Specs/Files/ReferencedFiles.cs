using Reconciler.Core.Diagnostics;
using Reconciler.Core.Specs;

namespace Reconciler.Specs.Files;

/// <summary>
/// The files one YAML file names (templates, list files), each resolved inside the specs tree or refused;
/// <paramref name="yamlDirectory"/> is the YAML file's directory in the tree.
/// </summary>
internal sealed class ReferencedFiles(SpecsRoot root, DisplayPaths paths, string yamlDirectory) : ISpecFiles
{
    public TemplateReference? Template(SpecScalar written, ICollection<Diagnostic> diagnostics) =>
        root.Resolve(written.RawText, yamlDirectory, "template", written.Location, diagnostics) is { } full
            ? new TemplateReference(full, written.RawText, written.Location)
            : null;

    public SpecListFile? ListFile(SpecScalar written, long maxBytes, ICollection<Diagnostic> diagnostics)
    {
        if (root.Resolve(written.RawText, yamlDirectory, "list file", written.Location, diagnostics) is not { } full)
        {
            return null;
        }

        var displayPath = paths.Of(root.Full(full));
        if (root.Tree.EntryAt(full) == SpecTreeEntry.Missing)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnreadableFile, $"cannot read list file {displayPath}: no such file", written.Location));
            return null;
        }

        return SpecTextFile.TryRead(root.Tree, full, displayPath, maxBytes, $"list file {displayPath}", written.Location, diagnostics) is { } text
            ? new SpecListFile(displayPath, text)
            : null;
    }
}
