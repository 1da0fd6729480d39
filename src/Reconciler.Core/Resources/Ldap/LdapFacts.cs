using System.Globalization;
using System.Text;
using Reconciler.Core.Facts;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Ldap;

/// <summary>The ldap_database read (ldap-read.sh) for every database of a host, and its parser.</summary>
public static class LdapFacts
{
    public static string ReadScript() => ShellFiles.Load("ldap-read.sh");

    /// <exception cref="MalformedFactsException">A record out of its grammar.</exception>
    public static IReadOnlyList<LdapDatabaseObserved> Parse(string kind, IReadOnlyList<string> lines, IReadOnlyList<LdapDatabaseResource> resources)
    {
        var records = lines.Where(l => l.Length > 0).Select(l => l.Split('\t')).ToList();
        var slapd = records.Where(r => r[0] == "SLAPD").ToList();
        if (slapd is not [{ Length: 2 } s] || s[1] is not ("present" or "missing"))
        {
            throw new MalformedFactsException($"{kind} facts: not one SLAPD record");
        }

        if (s[1] == "missing")
        {
            if (records.Count > 1) throw new MalformedFactsException($"{kind} facts: records after SLAPD missing");
            return resources.Select(_ => new LdapDatabaseObserved(false, null, new Dictionary<string, IReadOnlyList<string>>(), null, null, null, null, null, [])).ToList();
        }

        var databases = new Dictionary<string, Dictionary<string, List<string>>>(StringComparer.Ordinal);
        var maps = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var r in records.Where(r => r[0] != "SLAPD"))
        {
            switch (r)
            {
                case ["DB", var dn]:
                    // The DN goes into the apply's LDIF: only what the read's own filter prints (an MDB database of cn=config).
                    if (!DatabaseDn.IsMatch(dn)) throw new MalformedFactsException($"{kind} facts: a DB record that is not an MDB database of cn=config");
                    if (!databases.TryAdd(dn, new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase)))
                    {
                        throw new MalformedFactsException($"{kind} facts: the host answered DB twice for one database");
                    }

                    break;
                case ["ATTR", var dn, var name, var encoding, var value] when databases.TryGetValue(dn, out var attributes):
                    if (!AttributeName.IsMatch(name)) throw new MalformedFactsException($"{kind} facts: an ATTR record of '{Shorten(name)}', not olcSuffix or olcDb*");
                    var text = encoding switch
                    {
                        // A secret's name withheld here too, whatever the host says: a value never shown is never leaked.
                        _ when LdapNames.IsSensitive(name) => LdapDatabaseObserved.Withheld,
                        "text" => value,
                        "base64" => Decode(kind, value),
                        "withheld" => LdapDatabaseObserved.Withheld,
                        _ => throw new MalformedFactsException($"{kind} facts: an ATTR record with encoding '{Shorten(encoding)}'"),
                    };
                    if (!attributes.TryGetValue(name, out var values)) attributes[name] = values = [];
                    values.Add(text);
                    break;
                case ["MDB", var directory, var m, var p, var u]:
                    if (!maps.TryAdd(directory, r)) throw new MalformedFactsException($"{kind} facts: the host answered MDB twice for one directory");
                    if (!(m == "no-mdb_stat" && p == "-" && u == "-") && !(Field(m) && Field(p) && Field(u)))
                    {
                        throw new MalformedFactsException($"{kind} facts: an MDB record whose sizes are not numbers");
                    }

                    break;
                default:
                    throw new MalformedFactsException($"{kind} facts: a '{Shorten(r[0])}' record that is not DB, ATTR or MDB of a database read");
            }
        }

        var suffixes = databases.Where(d => d.Value.ContainsKey("olcSuffix")).ToDictionary(d => d.Value["olcSuffix"][0], d => d.Key, StringComparer.OrdinalIgnoreCase);
        var all = suffixes.Keys.Order(StringComparer.Ordinal).ToList();
        return resources.Select(resource =>
        {
            if (!suffixes.TryGetValue(resource.Suffix, out var dn))
            {
                return new LdapDatabaseObserved(true, null, new Dictionary<string, IReadOnlyList<string>>(), null, null, null, null, null, all);
            }

            var attributes = databases[dn].ToDictionary(a => a.Key, a => (IReadOnlyList<string>)a.Value, StringComparer.OrdinalIgnoreCase);
            var directory = attributes.GetValueOrDefault("olcDbDirectory")?.FirstOrDefault();
            long? mapSize = null, pageSize = null, used = null;
            string? problem = directory is null ? "cn=config names no olcDbDirectory for it" : "mdb_stat did not report its map";
            if (directory is not null && maps.TryGetValue(directory, out var map))
            {
                if (map[2] == "no-mdb_stat")
                {
                    problem = "mdb_stat is not installed (declare the package lmdb-utils)";
                }
                else if (Number(map[2]) is { } m && Number(map[3]) is { } p && Number(map[4]) is { } u)
                {
                    // LMDB's page is the OS page, a power of two of 512 B to 64 KiB; pages × page stays within 1 PiB, so
                    // no product of the sizing rule overflows and the plan cannot be made to show a wrapped size.
                    if (p < 512 || p > 65536 || (p & (p - 1)) != 0 || u > MaxBytes / p)
                    {
                        throw new MalformedFactsException($"{kind} facts: an MDB record of {u} pages of {p} bytes, not a database's map");
                    }

                    (mapSize, pageSize, used, problem) = (m, p, u, null);
                }
            }

            return new LdapDatabaseObserved(true, dn, attributes, directory, mapSize, pageSize, used, problem, all);
        }).ToList();
    }

    /// <summary>Largest size read from the host (1 PiB): anything past it is not a database's size.</summary>
    private const long MaxBytes = 1L << 50;

    private static readonly System.Text.RegularExpressions.Regex DatabaseDn = new(@"^olcDatabase=\{[0-9]{1,9}\}mdb,cn=config\z");
    private static readonly System.Text.RegularExpressions.Regex AttributeName = new(@"^olc(Suffix|Db[A-Za-z]{1,60})\z");

    private static long? Number(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= MaxBytes ? n : null;

    /// <summary>A size mdb_stat printed (within 1 PiB), or '-' when it printed none.</summary>
    private static bool Field(string text) => text == "-" || Number(text) is not null;

    /// <summary>
    /// slapcat's base64 (cut by the read at 2,048 characters, a whole number of base64 groups; a character cut in two shows
    /// as U+FFFD).
    /// </summary>
    /// <exception cref="MalformedFactsException">Not base64: an honest read prints slapcat's base64 as it is.</exception>
    private static string Decode(string kind, string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            throw new MalformedFactsException($"{kind} facts: an ATTR value that is not base64");
        }
    }

    private static string Shorten(string text) => Excerpt.Cut(text, 16);
}
