using Reconciler.Core.Text;

namespace Reconciler.Cli.Views;

/// <summary>
/// Host and spec text for the console (and so for a GitHub Actions log): controls shown visibly, and a line that would
/// start with <c>::</c> (which the runner reads as a workflow command) has its first colon shown as <c>\x3a</c>.
/// </summary>
internal static class TerminalText
{
    /// <summary>A value inside a line the view composes: no line break, no control, no escape sequence.</summary>
    public static string Inline(string? text) => text is null ? "" : VisibleText.Inline(text);

    /// <summary>
    /// A whole line whose start may be host text (a line of a file diff). The runner trims leading whitespace before it
    /// looks for <c>::</c>, so indentation does not protect such a line.
    /// </summary>
    public static string Line(string text)
    {
        var shown = VisibleText.Inline(text);
        var start = shown.Length - shown.TrimStart().Length;
        return shown.AsSpan(start).StartsWith("::", StringComparison.Ordinal)
            ? string.Concat(shown.AsSpan(0, start), "\\x3a", shown.AsSpan(start + 1))
            : shown;
    }
}
