using Reconciler.Core.Diagnostics;
using Reconciler.Core.Specs;
using Reconciler.Specs.Yaml;

namespace Reconciler.Specs;

/// <summary>
/// Reads a spec, template or list file out of the specs tree as text, refusing what is too large or not UTF-8 before any
/// parser sees it.
/// </summary>
internal static class SpecTextFile
{
    /// <summary>Generous for hand-written specs, small enough that a stray dump or binary cannot stall validation.</summary>
    public const long MaxBytes = 1024 * 1024;

    /// <summary>A spec or template file (at most <see cref="MaxBytes"/>); problems are reported at its first line.</summary>
    public static string? TryRead(ISpecTree tree, string path, string displayPath, ICollection<Diagnostic> diagnostics) =>
        TryRead(tree, path, displayPath, MaxBytes, "file", new SourceLocation(displayPath, 1, 1), diagnostics);

    /// <summary>
    /// The text of the tree's file <paramref name="path"/> (already resolved, see <c>SpecsRoot</c>), or null with the reason reported: larger than <paramref name="maxBytes"/>
    /// or unreadable (at <paramref name="reportAt"/>, naming it as <paramref name="what"/>), or not UTF-8 (at the first bad byte).
    /// </summary>
    public static string? TryRead(ISpecTree tree, string path, string displayPath, long maxBytes, string what, SourceLocation reportAt, ICollection<Diagnostic> diagnostics)
    {
        byte[] bytes;
        try
        {
            var (read, size) = tree.Read(path, maxBytes);
            if (read is null)
            {
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.FileTooLarge,
                    $"{what} is {size} bytes; the limit is {maxBytes} bytes ({maxBytes / 1024 / 1024} MiB)",
                    reportAt));
                return null;
            }

            bytes = read;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnreadableFile, $"cannot read {what}: {e.Message}", reportAt));
            return null;
        }

        if (Utf8Text.FindFirstInvalidByte(bytes) is var (line, column))
        {
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.NotUtf8,
                "file is not valid UTF-8 text (first invalid byte here)",
                new SourceLocation(displayPath, line, column)));
            return null;
        }

        return Utf8Text.Decode(bytes);
    }
}
