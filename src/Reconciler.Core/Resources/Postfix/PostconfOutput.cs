namespace Reconciler.Core.Resources.Postfix;

/// <summary>Parses <c>postconf -n</c> lines (<c>name = value</c>; an empty value prints as <c>name =</c>).</summary>
public static class PostconfOutput
{
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
}
