using System.Text.RegularExpressions;
using Reconciler.Core.Text;

namespace Reconciler.Cli.Views;

/// <summary>
/// Host and spec text for GitHub Markdown (pull-request comments, drift issues, step summaries, drift.md). Such text is
/// only ever placed in a code span or a fenced code block, where GitHub renders no mention, link, image, emphasis or
/// HTML; what remains is to keep it from closing its span, its block or its table cell early.
/// </summary>
internal static partial class MarkdownText
{
    /// <summary>An inline code span: delimited by more backticks than any run inside; line breaks and controls shown.</summary>
    public static string Code(string? text)
    {
        var shown = VisibleText.Inline(text ?? "");
        if (shown.Length == 0) return "`\"\"`";
        var ticks = new string('`', LongestBacktickRun(shown) + 1);
        // CommonMark strips one space from each end; padding keeps a backtick at either end from joining the delimiter.
        var pad = shown[0] == '`' || shown[^1] == '`' || (shown[0] == ' ' && shown[^1] == ' ') ? " " : "";
        return ticks + pad + shown + pad + ticks;
    }

    /// <summary>A code span inside a table row: a pipe would end the cell even inside the span, so it is escaped.</summary>
    public static string Cell(string? text) => Code(text).Replace("|", "\\|");

    /// <summary>A fence for a code block holding these lines: longer than any backtick run in them, so none can close it.</summary>
    public static string Fence(IEnumerable<string> lines) =>
        new('`', Math.Max(3, lines.Select(LongestBacktickRun).DefaultIfEmpty(0).Max() + 1));

    private static int LongestBacktickRun(string text) =>
        Backticks().Matches(text).Select(m => m.Length).DefaultIfEmpty(0).Max();

    [GeneratedRegex("`+")]
    private static partial Regex Backticks();
}
