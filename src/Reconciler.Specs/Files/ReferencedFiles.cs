using Reconciler.Core.Diagnostics;
using Reconciler.Core.Specs;
using Reconciler.Specs.Yaml;

namespace Reconciler.Specs.Files;

/// <summary>The files one YAML file names (templates, list files), each resolved inside the specs directory or refused.</summary>
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

        var displayPath = paths.Of(full);
        byte[] bytes;
        try
        {
            var (read, size) = BoundedFile.Read(full, maxBytes);
            if (read is null)
            {
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.FileTooLarge, $"list file {displayPath} is {size} bytes; the limit is {maxBytes} bytes ({maxBytes / 1024 / 1024} MiB)", written.Location));
                return null;
            }

            bytes = read;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnreadableFile, $"cannot read list file {displayPath}: {e.Message}", written.Location));
            return null;
        }

        if (Utf8Text.FindFirstInvalidByte(bytes) is var (badLine, badColumn))
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.NotUtf8, "file is not valid UTF-8 text (first invalid byte here)", new SourceLocation(displayPath, badLine, badColumn)));
            return null;
        }

        return new SpecListFile(displayPath, Utf8Text.Decode(bytes));
    }
}
