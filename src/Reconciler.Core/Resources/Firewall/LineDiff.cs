namespace Reconciler.Core.Resources.Firewall;

/// <summary>Rules to remove and to add to turn one chain into another (LCS, so a moved or inserted rule shows as itself).</summary>
public static class LineDiff
{
    public static (IReadOnlyList<string> Removed, IReadOnlyList<string> Added) Between(IReadOnlyList<string> actual, IReadOnlyList<string> desired)
    {
        // Chains hold tens of rules, not thousands: the quadratic table is fine.
        var n = actual.Count;
        var m = desired.Count;
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lcs[i, j] = actual[i] == desired[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var removed = new List<string>();
        var added = new List<string>();
        int a = 0, d = 0;
        while (a < n || d < m)
        {
            if (a < n && d < m && actual[a] == desired[d])
            {
                a++;
                d++;
            }
            else if (d < m && (a == n || lcs[a, d + 1] >= lcs[a + 1, d]))
            {
                added.Add(desired[d++]);
            }
            else
            {
                removed.Add(actual[a++]);
            }
        }

        return (removed, added);
    }
}
