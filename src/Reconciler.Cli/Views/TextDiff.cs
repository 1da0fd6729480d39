namespace Reconciler.Cli.Views;

/// <summary>
/// A line diff (longest common subsequence) rendered as unified-diff hunks with a little context, each headed as diff(1)
/// and git head theirs: <c>@@ -12,3 +12,4 @@</c> (first line and line count before, then after).
/// </summary>
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

        // Each run of kept lines is a hunk; the lines of each side seen before it place its header.
        var lines = new List<string>();
        int oldSeen = 0, newSeen = 0;
        for (var i = 0; i < ops.Count;)
        {
            if (!keep[i])
            {
                Count(ops[i].Op, ref oldSeen, ref newSeen);
                i++;
                continue;
            }

            var end = i;
            while (end < ops.Count && keep[end]) end++;
            var hunk = ops.GetRange(i, end - i);
            var oldCount = hunk.Count(o => o.Op != '+');
            var newCount = hunk.Count(o => o.Op != '-');
            lines.Add($"@@ -{Range(oldSeen, oldCount)} +{Range(newSeen, newCount)} @@");
            foreach (var op in hunk)
            {
                lines.Add($"{op.Op}{op.Line}");
                Count(op.Op, ref oldSeen, ref newSeen);
            }

            i = end;
        }

        return lines;
    }

    /// <summary>
    /// A side of a hunk header as diff(1) writes it: "start,count", the count left out when it is 1; a side with no lines
    /// names the line before the hunk (0 for the top of the file).
    /// </summary>
    private static string Range(int linesBefore, int count) => count switch
    {
        0 => $"{linesBefore},0",
        1 => $"{linesBefore + 1}",
        _ => $"{linesBefore + 1},{count}",
    };

    private static void Count(char op, ref int oldSeen, ref int newSeen)
    {
        if (op != '+') oldSeen++;
        if (op != '-') newSeen++;
    }

    private static string[] SplitLines(string text) =>
        text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');
}
