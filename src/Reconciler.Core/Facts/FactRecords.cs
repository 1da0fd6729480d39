using Reconciler.Core.Engine;

namespace Reconciler.Core.Facts;

/// <summary>
/// The one record format of a fact answer: a line <c>TAG \t INDEX \t FIELD...</c>, where INDEX is the resource's position
/// in the read. Host-wide facts carry no index. The host controls these lines, so a tag a read prints at most once that
/// comes twice makes the answer malformed instead of letting either copy win.
/// </summary>
public static class FactRecords
{
    /// <summary>Indexed records by resource index; lines without a numeric index are host-wide and not included.</summary>
    public static ILookup<int, string[]> ByIndex(IEnumerable<string> lines) =>
        lines.Select(l => l.Split('\t'))
            .Where(f => f.Length >= 2 && int.TryParse(f[1], out _))
            .ToLookup(f => int.Parse(f[1]));

    /// <summary>One resource's records by tag.</summary>
    /// <exception cref="MalformedFactsException">A tag came twice.</exception>
    public static IReadOnlyDictionary<string, string[]> ByTag(string kind, IEnumerable<string[]> facts, int index)
    {
        var tagged = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var fact in facts)
        {
            if (!tagged.TryAdd(fact[0], fact))
            {
                throw new MalformedFactsException($"{kind} facts: the host answered '{fact[0]}' twice for resource {index}");
            }
        }

        return tagged;
    }

    /// <summary>The field after TAG and INDEX, or null when the record has none.</summary>
    public static string? FirstField(this string[] record) => record.Length > 2 ? record[2] : null;
}
