using Reconciler.Core.Diagnostics;
using Reconciler.Specs.Resources;
using Reconciler.Specs.Yaml;

namespace Reconciler.Specs.Files;

/// <summary>The files one YAML file names (templates, list files), each resolved inside the specs directory or refused.</summary>
internal sealed class ReferencedFiles(SpecsRoot root, DisplayPaths paths, string yamlDirectory)
{
    /// <summary>The template's reference, or null when the path is refused (reported at the scalar).</summary>
    public TemplateReference? Template(SpecScalar written, ICollection<Diagnostic> diagnostics) =>
        root.Resolve(written.RawText, yamlDirectory, "template", written.Location, diagnostics) is { } full
            ? new TemplateReference(full, written.RawText, written.Location)
            : null;

    /// <summary>The list file's real path and how diagnostics name it, or null when the path is refused.</summary>
    public (string FullPath, string DisplayPath)? ListFile(SpecScalar written, ICollection<Diagnostic> diagnostics) =>
        root.Resolve(written.RawText, yamlDirectory, "list file", written.Location, diagnostics) is { } full
            ? (full, paths.Of(full))
            : null;
}
