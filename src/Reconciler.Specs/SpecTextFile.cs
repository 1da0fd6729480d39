using Reconciler.Core.Diagnostics;
using Reconciler.Core.Specs;
using Reconciler.Specs.Files;
using Reconciler.Specs.Yaml;

namespace Reconciler.Specs;

/// <summary>
/// Reads a spec or template file as text, refusing what is too large or not UTF-8 before any parser sees it.
/// </summary>
internal static class SpecTextFile
{
    /// <summary>Generous for hand-written specs, small enough that a stray dump or binary cannot stall validation.</summary>
    public const long MaxBytes = 1024 * 1024;

    public static string? TryRead(string fullPath, string displayPath, ICollection<Diagnostic> diagnostics)
    {
        var start = new SourceLocation(displayPath, 1, 1);
        byte[] bytes;
        try
        {
            var (read, size) = BoundedFile.Read(fullPath, MaxBytes);
            if (read is null)
            {
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.FileTooLarge,
                    $"file is {size} bytes; the limit is {MaxBytes} bytes (1 MiB)",
                    start));
                return null;
            }

            bytes = read;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnreadableFile, $"cannot read file: {e.Message}", start));
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
