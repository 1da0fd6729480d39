using System.Globalization;

namespace Reconciler.Core.Facts;

/// <summary>
/// The one record format of a fact answer: a line <c>TAG \t INDEX \t FIELD...</c>, where INDEX is the resource's position
/// in the read. Host-wide facts carry no index. The host controls these lines, so a tag a read prints at most once that
/// comes twice makes the answer malformed instead of letting either copy win.
/// </summary>
public static class FactRecords
{
    /// <summary>
    /// Indexed records by resource index. Every record is either host-wide (its tag is in <paramref name="hostWide"/>)
    /// or carries the index of one of the <paramref name="count"/> resources read, as digits: a record with no index, a
    /// non-numeric one or one out of range is a malformed answer, never a record silently left over (which would make
    /// the resource look absent).
    /// </summary>
    /// <exception cref="MalformedFactsException">A record is neither host-wide nor indexed for a resource read.</exception>
    public static ILookup<int, string[]> ByIndex(string kind, IEnumerable<string> lines, int count, IReadOnlySet<string>? hostWide = null)
    {
        var indexed = new List<(int Index, string[] Fields)>();
        foreach (var line in lines)
        {
            var fields = line.Split('\t');
            if (hostWide is not null && hostWide.Contains(fields[0])) continue;
            if (fields.Length < 2 || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= count)
            {
                var shown = Excerpt.Cut(fields[0], 16);
                throw new MalformedFactsException(fields.Length < 2
                    ? $"{kind} facts: a '{shown}' record without a resource index"
                    : $"{kind} facts: a '{shown}' record for resource index '{Excerpt.Cut(fields[1], 16)}', not one of the {count} read");
            }

            indexed.Add((index, fields));
        }

        return indexed.ToLookup(x => x.Index, x => x.Fields);
    }

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
