using Reconciler.Core.Diagnostics;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Firewall;

/// <summary>
/// A block list file's text: one address or CIDR per line, <c>#</c> comments and blank lines allowed. Every bad line is
/// reported at its own line and column, so a 10,000-line list is fixed in one pass.
/// </summary>
internal static class BlockListText
{
    /// <summary>Larger than a spec file may be: public block lists run to hundreds of thousands of entries.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    /// <summary>The (entry, where) pairs of <paramref name="file"/>; each bad line is reported and left out.</summary>
    public static List<(BlockEntry Entry, SourceLocation Location)> Parse(SpecListFile file, ICollection<Diagnostic> diagnostics)
    {
        var entries = new List<(BlockEntry, SourceLocation)>();
        var lineNumber = 0;
        foreach (var rawLine in file.Text.Split('\n'))
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

            var location = new SourceLocation(file.DisplayPath, lineNumber, start + 1);
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
