using System.Text;

namespace Reconciler.Specs.Yaml;

/// <summary>
/// The lines around a position in a spec file with a caret under the column, for errors a person fixes by looking at
/// the text (YAML syntax): the line before for context, the line itself, then the caret. Long lines are cut; tabs and
/// controls are left to the console's inert writer.
/// </summary>
internal static class SourceExcerpt
{
    private const int MaxWidth = 160;

    public static string? At(string text, int line, int column)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        // A position past the last line (the parser reached the end of the file) points at the last line with text.
        var at = Math.Min(line, lines.Length);
        while (at > 1 && lines[at - 1].Trim().Length == 0) at--;
        if (at < 1 || at > lines.Length) return null;
        var caretColumn = at == line ? Math.Max(1, column) : lines[at - 1].TrimEnd().Length + 1;
        var width = (at + 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        var excerpt = new StringBuilder();
        for (var n = Math.Max(1, at - 1); n <= at; n++)
        {
            var shown = lines[n - 1].Length <= MaxWidth ? lines[n - 1] : lines[n - 1][..MaxWidth] + "…";
            excerpt.Append("  ").Append(n.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width)).Append(" | ").AppendLine(shown);
        }

        var caret = Math.Min(caretColumn, MaxWidth + 1);
        excerpt.Append("  ").Append(new string(' ', width)).Append(" | ").Append(new string(' ', caret - 1)).Append('^');
        if (at != line) excerpt.Append(" the file ends here; something opened above is not closed");
        return excerpt.ToString();
    }
}
