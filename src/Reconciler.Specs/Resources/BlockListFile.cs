using Reconciler.Core.Diagnostics;
using Reconciler.Core.Resources.Firewall;
using Reconciler.Specs.Files;
using Reconciler.Specs.Yaml;

namespace Reconciler.Specs.Resources;

/// <summary>
/// Reads a block list file: one address or CIDR per line, <c>#</c> comments and blank lines allowed. Every bad line is
/// reported at its own line and column, so a 10,000-line list is fixed in one pass.
/// </summary>
internal static class BlockListFile
{
    /// <summary>Larger than a spec file may be: public block lists run to hundreds of thousands of entries.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    /// <summary>Returns (entry, where) pairs, or null when the file cannot be read (reported at <paramref name="reference"/>).</summary>
    public static List<(BlockEntry Entry, SourceLocation Location)>? Read(
        string fullPath, string displayPath, SourceLocation reference, ICollection<Diagnostic> diagnostics)
    {
        byte[] bytes;
        try
        {
            var (read, size) = BoundedFile.Read(fullPath, MaxBytes);
            if (read is null)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.FileTooLarge, $"list file {displayPath} is {size} bytes; the limit is {MaxBytes} bytes (16 MiB)", reference));
                return null;
            }

            bytes = read;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnreadableFile, $"cannot read list file {displayPath}: {e.Message}", reference));
            return null;
        }

        if (Utf8Text.FindFirstInvalidByte(bytes) is var (badLine, badColumn))
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.NotUtf8, "file is not valid UTF-8 text (first invalid byte here)", new SourceLocation(displayPath, badLine, badColumn)));
            return null;
        }

        var entries = new List<(BlockEntry, SourceLocation)>();
        var lineNumber = 0;
        foreach (var rawLine in Utf8Text.Decode(bytes).Split('\n'))
        {
            lineNumber++;
            var line = rawLine.AsSpan().TrimEnd('\r');
            var hash = line.IndexOf('#');
            if (hash >= 0)
            {
                line = line[..hash];
            }

            var start = line.Length - line.TrimStart().Length;
            var text = line.Trim();
            if (text.IsEmpty)
            {
                continue;
            }

            var location = new SourceLocation(displayPath, lineNumber, start + 1);
            var whitespace = text.IndexOfAny(' ', '\t');
            if (whitespace >= 0)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidAddress, $"one address or CIDR per line; found '{text.ToString()}'", location));
                continue;
            }

            if (BlockEntry.Parse(text.ToString(), out var error) is { } entry)
            {
                entries.Add((entry, location));
            }
            else
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidAddress, error!, location));
            }
        }

        return entries;
    }
}
