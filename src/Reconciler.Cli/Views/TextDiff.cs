namespace Reconciler.Cli.Views;

/// <summary>A line diff (longest common subsequence) rendered as unified-diff lines with a little context.</summary>
internal static class TextDiff
{
    private const int Context = 2;
    private const int MaxCells = 4_000_000; // beyond this the plan shows sizes instead of an O(n·m) table

    public static IReadOnlyList<string> Unified(string before, string after)
    {
        var a = SplitLines(before);
        var b = SplitLines(after);
        if ((long)a.Length * b.Length > MaxCells)
        {
            return [$"@@ {a.Length} lines → {b.Length} lines (too large to diff inline) @@"];
        }

        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        for (var j = b.Length - 1; j >= 0; j--)
        {
            lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        }

        var ops = new List<(char Op, string Line)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { ops.Add((' ', a[x])); x++; y++; }
            // On a tie the removal goes first, so a replaced line reads "-old" then "+new" as in diff(1).
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1])) { ops.Add(('-', a[x])); x++; }
            else { ops.Add(('+', b[y])); y++; }
        }

        var keep = new bool[ops.Count];
        for (var i = 0; i < ops.Count; i++)
        {
            if (ops[i].Op == ' ') continue;
            for (var k = Math.Max(0, i - Context); k <= Math.Min(ops.Count - 1, i + Context); k++) keep[k] = true;
        }

        var lines = new List<string>();
        for (var i = 0; i < ops.Count; i++)
        {
            if (keep[i]) lines.Add($"{ops[i].Op}{ops[i].Line}");
            else if (i == 0 || keep[i - 1]) lines.Add("…"); // every run of hidden lines is marked, the leading one too
        }

        return lines;
    }

    private static string[] SplitLines(string text) =>
        text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');
}
