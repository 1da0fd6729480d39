namespace Reconciler.Core.Diagnostics;

/// <summary>Suggests the intended name for a typo, e.g. 'mod' → 'mode'.</summary>
public static class DidYouMean
{
    /// <summary>Returns "; did you mean 'x'?" for the closest candidate within a small edit distance, else "".</summary>
    public static string Suggest(string typed, IEnumerable<string> candidates)
    {
        var maxDistance = Math.Max(1, Math.Min(3, typed.Length / 3));
        var best = candidates
            .Select(candidate => (Candidate: candidate, Distance: Distance(typed.ToLowerInvariant(), candidate.ToLowerInvariant())))
            .Where(c => c.Distance <= maxDistance && c.Distance < typed.Length)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Candidate, StringComparer.Ordinal)
            .Select(c => c.Candidate)
            .FirstOrDefault();
        return best is null ? "" : $"; did you mean '{best}'?";
    }

    /// <summary>Optimal string alignment distance: Levenshtein plus adjacent transpositions ('mdoe' → 'mode').</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
