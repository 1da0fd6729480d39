using System.Globalization;
using System.Text;
using Reconciler.Core.Facts;
using Reconciler.Core.Shell;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Dkim;

/// <summary>The dkim kind's host read and its parser: one query for every domain on the host (dkim-read.sh).</summary>
public static class DkimFacts
{
    private static readonly HashSet<string> HostWide = ["NOW", "OPENSSL", "OPENDKIM", "CONF", "TABLES", "ST", "KT"];

    /// <summary>Lines of each table the read prints at most (head -n in dkim-read.sh): more is no honest answer.</summary>
    public const int MaxTableLines = 2000;

    /// <summary>How long a reason the read gives for a refused path is (rc_dkim_why).</summary>
    private const int MaxReason = 300;

    private static readonly HashSet<string> Kinds = ["file", "none", "symlink", "directory", "other"];

    public static string ReadScript(IReadOnlyList<DkimDomainResource> domains)
    {
        var script = new StringBuilder(PathSafety.Functions).AppendLine().AppendLine(ShellFiles.Load("dkim-read.sh"));
        for (var i = 0; i < domains.Count; i++)
        {
            var domain = Sh.Quote(domains[i].Domain);
            script.AppendLine($"rc_dkim_dir {i} {domain}");
            foreach (var selector in domains[i].Selectors)
            {
                script.AppendLine($"rc_dkim_key {i} {domain} {Sh.Quote(selector.Name)}");
            }
        }

        return script.ToString().TrimEnd('\n');
    }

    /// <summary>One observation per domain (without DNS: the controller adds that).</summary>
    /// <exception cref="MalformedFactsException">A record is missing, repeated or out of its grammar.</exception>
    public static IReadOnlyList<DkimObserved> Parse(string kind, IReadOnlyList<string> lines, IReadOnlyList<DkimDomainResource> domains)
    {
        if (domains.Count == 0) return [];
        var records = lines.Select(l => l.Split('\t')).ToList();
        string One(string tag) => records.Where(r => r[0] == tag).ToList() switch
        {
            [{ Length: 2 } r] => r[1],
            var found => throw new MalformedFactsException($"{kind} facts: {found.Count} {tag} record(s), not one"),
        };

        var now = long.Parse(One("NOW"), NumberStyles.None, CultureInfo.InvariantCulture);
        var digests = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var r in records.Where(r => r[0] == "CONF"))
        {
            if (r.Length != 3 || !DkimPaths.ConfigFiles.Contains(r[1]) || !(r[2] == "-" || IsHex(r[2], 64)) || !digests.TryAdd(r[1], r[2] == "-" ? null : r[2]))
            {
                throw new MalformedFactsException($"{kind} facts: a CONF record that is not one of the signer's files with its digest");
            }
        }

        if (digests.Count != DkimPaths.ConfigFiles.Count)
        {
            throw new MalformedFactsException($"{kind} facts: {digests.Count} CONF record(s), not {DkimPaths.ConfigFiles.Count}");
        }

        // The read prints at most MaxTableLines of each table, their fields cut at 300 and 600 characters: anything more
        // is no honest answer, and would cost every domain's look-up of what signs it.
        if (records.Count(r => r[0] == "ST") > MaxTableLines || records.Count(r => r[0] == "KT") > MaxTableLines)
        {
            throw new MalformedFactsException($"{kind} facts: more than {MaxTableLines} lines of a table, more than the read prints");
        }

        var signing = records.Where(r => r[0] == "ST").Select(r => TableLine(r) ? KeyValuePair.Create(r[1], r[2]) : throw Bad(kind, "ST")).ToList();
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in records.Where(r => r[0] == "KT"))
        {
            if (!TableLine(r)) throw Bad(kind, "KT");
            keys.TryAdd(r[1], r[2]); // opendkim uses the first line of a key name; so does this
        }

        var tablesRefused = records.Where(r => r[0] == "TABLES").ToList() switch
        {
            [] => null,
            [{ Length: 2 } r] => Reason(kind, r[1]),
            _ => throw Bad(kind, "TABLES"),
        };
        var host = new DkimHostFacts(now, One("OPENSSL") == "yes", One("OPENDKIM") == "yes", digests, signing, keys) { TablesRefused = tablesRefused };
        var byIndex = FactRecords.ByIndex(kind, lines, domains.Count, HostWide);
        return domains.Select((d, i) =>
        {
            var own = byIndex[i].ToList();
            var dir = own.Where(r => r[0] == "DIR").ToList();
            if (dir.Count != 1 || dir[0].Length != 6 || !Kinds.Contains(dir[0][2]) || !StatFields(dir[0], 3)) throw Bad(kind, "DIR");
            var refused = own.Where(r => r[0] == "REFUSED").ToList() switch
            {
                [] => null,
                [{ Length: 3 } r] => Reason(kind, r[2]),
                _ => throw Bad(kind, "REFUSED"),
            };
            var observedKeys = new List<DkimKeyObserved>();
            foreach (var r in own.Where(r => r[0] == "KEY"))
            {
                if (r.Length != 11 || !Kinds.Contains(r[3]) || !StatFields(r, 4) || d.Selectors.All(s => s.Name != r[2]) || observedKeys.Any(k => k.Selector == r[2]))
                {
                    throw Bad(kind, "KEY");
                }

                observedKeys.Add(new DkimKeyObserved(r[2], r[3], Field(r[4]), Field(r[5]), Field(r[6]),
                    Field(r[7]) is { } pub ? (IsBase64(pub) ? pub : throw Bad(kind, "KEY")) : null,
                    Number(r[8]), Number(r[9]), Field(r[10]) is { } sha && IsHex(sha, 64) ? sha : null));
            }

            if (own.Any(r => r[0] is not ("DIR" or "KEY" or "REFUSED")) || observedKeys.Count != d.Selectors.Count)
            {
                throw new MalformedFactsException($"{kind} facts: domain {i} is not answered with one DIR and one KEY per selector");
            }

            return new DkimObserved(host, observedKeys, i == 0, null)
            {
                Refused = refused,
                KeyDirectory = new DkimKeyObserved("", dir[0][2], Field(dir[0][3]), Field(dir[0][4]), Field(dir[0][5]), null, null, null, null),
            };
        }).ToList();
    }

    private static MalformedFactsException Bad(string kind, string tag) => new($"{kind} facts: a malformed {tag} record");

    /// <summary>A table's line as the read prints it: two fields, cut at 300 and 600 characters.</summary>
    private static bool TableLine(string[] r) => r.Length == 3 && r[1].Length is > 0 and <= 300 && r[2].Length is > 0 and <= 600;

    /// <summary>
    /// The mode, owner and group a stat printed from <paramref name="at"/> on: each '-' or in its grammar (octal digits;
    /// a user or group name, or UNKNOWN: 1 to 64 printable characters without spaces), so what the plan shows of them is
    /// never host prose.
    /// </summary>
    private static bool StatFields(string[] r, int at) =>
        (r[at] == "-" || r[at].Length is >= 1 and <= 4 && r[at].All(c => c is >= '0' and <= '7')) &&
        Name(r[at + 1]) && Name(r[at + 2]);

    private static bool Name(string text) => text == "-" || AccountName.IsMatch(text);

    private static readonly System.Text.RegularExpressions.Regex AccountName = new("^[\\x21-\\x7E]{1,64}\\z");

    /// <summary>Why the host refused a path: its words (which name users and paths), one escaped line, bounded.</summary>
    private static string Reason(string kind, string text) =>
        text.Length is > 0 and <= MaxReason ? PathRules.Printable(text) : throw new MalformedFactsException($"{kind} facts: a refusal of more than {MaxReason} characters");

    private static string? Field(string text) => text == "-" || text.Length == 0 ? null : text;

    private static long? Number(string text) =>
        text != "-" && text.Length is > 0 and <= 12 && text.All(char.IsAsciiDigit) ? long.Parse(text, CultureInfo.InvariantCulture) : null;

    private static bool IsHex(string text, int length) => text.Length == length && text.All(char.IsAsciiHexDigitLower);

    private static bool IsBase64(string text) =>
        text.Length <= 4096 && Convert.TryFromBase64String(text, new byte[text.Length], out _);
}
