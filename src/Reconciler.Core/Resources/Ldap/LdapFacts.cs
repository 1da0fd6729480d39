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
            return resources.Select(_ => new LdapDatabaseObserved(false, null, new Dictionary<string, IReadOnlyList<string>>(), null, null, null, null, null, [])).ToList();
        }

        var databases = new Dictionary<string, Dictionary<string, List<string>>>(StringComparer.Ordinal);
        var maps = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var r in records.Where(r => r[0] != "SLAPD"))
        {
            switch (r)
            {
                case ["DB", var dn]:
                    databases.TryAdd(dn, new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase));
                    break;
                case ["ATTR", var dn, var name, var encoding, var value] when databases.TryGetValue(dn, out var attributes):
                    var text = encoding switch
                    {
                        "text" => value,
                        "base64" => Decode(value),
                        "withheld" => LdapDatabaseObserved.Withheld,
                        _ => throw new MalformedFactsException($"{kind} facts: an ATTR record with encoding '{Shorten(encoding)}'"),
                    };
                    if (!attributes.TryGetValue(name, out var values)) attributes[name] = values = [];
                    values.Add(text);
                    break;
                case ["MDB", var directory, _, _, _]:
                    maps[directory] = r;
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
                else if (Number(map[2]) is { } m && Number(map[3]) is { } p && Number(map[4]) is { } u && p > 0)
                {
                    (mapSize, pageSize, used, problem) = (m, p, u, null);
                }
            }

            return new LdapDatabaseObserved(true, dn, attributes, directory, mapSize, pageSize, used, problem, all);
        }).ToList();
    }

    private static long? Number(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= (1L << 50) ? n : null;

    private static string Decode(string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return "(not base64)";
        }
    }

    private static string Shorten(string text) => text.Length <= 16 ? text : text[..16] + "…";
}
