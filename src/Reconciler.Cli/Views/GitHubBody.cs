using System.Text;

namespace Reconciler.Cli.Views;

/// <summary>
/// The size of what this tool sends to GitHub as an issue body, an issue comment or a pull-request comment. GitHub
/// refuses a body over 65,536 characters (422, "body is too long"); it counts characters, but which ones (code points,
/// UTF-16 units, bytes once stored, line breaks as CRLF) is not documented. <see cref="Measure"/> counts UTF-8 bytes
/// with every line break as two: never fewer than any of those counts, so a body within <see cref="Budget"/> is within
/// GitHub's limit however GitHub counts.
/// </summary>
internal static class GitHubBody
{
    /// <summary>GitHub's limit for an issue body and an issue or pull-request comment.</summary>
    public const int GitHubLimit = 65_536;

    /// <summary>
    /// What a body may measure: below the limit with a margin for the last-line redactor, which may make a text longer
    /// ("(sensitive value)" for a four-character value) after the view has measured it.
    /// </summary>
    public const int Budget = 60_000;

    /// <summary>A workflow step summary: GitHub takes up to 1 MiB per step; the same margin is left.</summary>
    public const int StepSummaryBudget = 1_000_000;

    public static int Measure(string text) => Encoding.UTF8.GetByteCount(text) + text.Count(c => c == '\n');

    /// <summary>
    /// <paramref name="markdown"/> when it fits <paramref name="budget"/>; else its first whole lines, any code fence or
    /// details fold they leave open closed again (a fence is never cut inside, and code spans never span lines, so
    /// host text stays inert), then <paramref name="note"/>, which says the text was cut and where the rest is.
    /// </summary>
    public static string Fit(string markdown, string note, int budget = Budget)
    {
        if (Measure(markdown) <= budget) return markdown;
        var tail = "\n> [!NOTE]\n> " + note + "\n";
        var lines = markdown.Split('\n');
        var kept = new StringBuilder();
        string? fence = null;
        var folds = 0;
        var used = 0;
        foreach (var line in lines)
        {
            var closing = (fence is null ? 0 : fence.Length + 2) + folds * 13;
            if (used + Measure(line) + 2 + closing + Measure(tail) > budget) break;
            kept.Append(line).Append('\n');
            used += Measure(line) + 2;
            (fence, folds) = Track(line, fence, folds);
        }

        if (fence is not null) kept.Append(fence).Append('\n');
        for (var i = 0; i < folds; i++) kept.Append("</details>\n");
        return kept.Append(tail).ToString();
    }

    /// <summary>The open fence and the number of open details folds after <paramref name="line"/>, by CommonMark's rules.</summary>
    private static (string? Fence, int Folds) Track(string line, string? fence, int folds)
    {
        var trimmed = line.TrimStart(' ');
        var indent = line.Length - trimmed.Length;
        var run = trimmed.TakeWhile(c => c == '`').Count();
        if (fence is not null)
        {
            // Closed only by a line of backticks at least as long as the opening run, and nothing else.
            return indent <= 3 && run >= fence.Length && trimmed.Trim().Length == run ? (null, folds) : (fence, folds);
        }

        // An opening run has at least three backticks and no backtick in its info string (else it is a code span).
        if (indent <= 3 && run >= 3 && !trimmed[run..].Contains('`')) return (new string('`', run), folds);
        if (trimmed.StartsWith("<details>", StringComparison.Ordinal)) folds++;
        if (trimmed.Contains("</details>", StringComparison.Ordinal) && folds > 0) folds--;
        return (null, folds);
    }
}
