using System.Formats.Tar;

namespace Reconciler.Core.Facts;

/// <summary>
/// The tar archive a host sends of the texts a read may show (file-facts.sh), read as the hostile input it may be: base64
/// that is not, an archive cut short or corrupt, an entry that is no regular file or holds less than it says, a name asked
/// twice — each only means the texts it concerns are not known, never that another entry's text stands in for them.
/// </summary>
public static class TextArchive
{
    /// <summary>
    /// The first regular-file entry of each name in <paramref name="wanted"/>, at most <paramref name="maxBytes"/> of its
    /// text (one byte past what may be shown is enough to tell that the file grew), for entries held whole up to that.
    /// Reading stops at the first damage, once every name is found, or at the end.
    /// </summary>
    public static IReadOnlyDictionary<string, byte[]> Read(string base64, IReadOnlySet<string> wanted, int maxBytes)
    {
        var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        byte[] archive;
        try
        {
            archive = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return found;
        }

        try
        {
            using var reader = new TarReader(new MemoryStream(archive, writable: false), leaveOpen: false);
            while (found.Count < wanted.Count && reader.GetNextEntry(copyData: false) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !wanted.Contains(entry.Name)
                    || found.ContainsKey(entry.Name) || entry.Length < 0)
                {
                    continue;
                }

                var want = (int)Math.Min(entry.Length, maxBytes);
                var text = new byte[want];
                var read = entry.DataStream is null ? 0 : entry.DataStream.ReadAtLeast(text, want, throwOnEndOfStream: false);
                if (read < want)
                {
                    break; // the archive was cut inside this entry
                }

                found[entry.Name] = text;
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ArgumentException or OverflowException or IOException or NotSupportedException)
        {
            // Damage ends the reading: what was found before it stands, the rest is not known.
        }

        return found;
    }
}
