namespace Reconciler.Core.Resources.Postfix;

/// <summary>Parses postconf's listings.</summary>
public static class PostconfOutput
{
    /// <summary><c>postconf -n</c> lines (<c>name = value</c>; an empty value prints as <c>name =</c>).</summary>
    public static IReadOnlyDictionary<string, string> ParseExplicit(IEnumerable<string> lines)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var i = line.IndexOf(" =", StringComparison.Ordinal);
            if (i <= 0)
            {
                continue;
            }

            values[line[..i]] = PostfixMainResource.Normalize(line[(i + 2)..]);
        }

        return values;
    }

    /// <summary>
    /// <c>postconf -M</c> lines (one per service: SERVICE TYPE PRIVATE UNPRIV CHROOT WAKEUP MAXPROC COMMAND ARGS...),
    /// keyed <c>SERVICE/TYPE</c>, each entry whitespace-normalized; lines with fewer than eight fields are skipped.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParseMaster(IEnumerable<string> lines)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var entry = PostfixMainResource.Normalize(line);
            var f = entry.Split(' ');
            if (f.Length < 8)
            {
                continue;
            }

            entries[$"{f[0]}/{f[1]}"] = entry;
        }

        return entries;
    }
}
