using System.Globalization;
using System.Text;
using Reconciler.Core.Facts;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Ldap;

/// <summary>
/// The ldap_db_config read, in the host's one batched read: the kind's own query (each directory judged through its
/// DB_CONFIG and read as whoever controls it: <c>ldap-db-config-read.sh</c>), DB_CONFIG's file facts (its content under
/// the disclosure policy of <see cref="HostText"/>) and, in the kind's query, the service that opens each directory.
/// </summary>
public static class LdapDbConfigFacts
{
    /// <summary>The db_stat programs the apply may check the regions with, the host's default first.</summary>
    public static readonly IReadOnlyList<string> StatTools = ["db_stat", "db5.3_stat", "db5.1_stat", "db4.8_stat"];

    /// <summary>Largest size read from the host (1 PiB): anything past it is not a file size.</summary>
    private const long MaxBytes = 1L << 50;

    public static string ReadScript(IReadOnlyList<LdapDbConfigResource> resources)
    {
        var script = new StringBuilder(PathSafety.Carry(PathSafety.Functions + "\n" + ShellFiles.Load("ldap-db-config-read.sh")));
        script.AppendLine();
        script.AppendLine($"rc_ldbc_tool=-; for rc_ldbc_t in {string.Join(' ', StatTools)}; do if command -v \"$rc_ldbc_t\" >/dev/null 2>&1; then rc_ldbc_tool=$rc_ldbc_t; break; fi; done");
        script.AppendLine("printf 'STAT\\t%s\\n' \"$rc_ldbc_tool\"");
        for (var i = 0; i < resources.Count; i++)
        {
            script.Append(PathSafety.Judged(i, Sh.Quote(resources[i].DbConfigPath), follow: false, asControllingUser: true, $"rc_ldbc_facts {i}"));
            // A name outside the grammar is never asked about: /etc/init.d/NAME must be a file of /etc/init.d.
            script.AppendLine(LdapNames.IsServiceName(resources[i].Service)
                ? $"rc_ldbc_service {i} {Sh.Quote(resources[i].Service)}"
                : $"printf 'S\t{i}\t-\tinvalid\n'");
        }

        return script.ToString();
    }

    /// <summary>DB_CONFIG of each directory: links never followed, read as the user who controls the directory, its text when policy allows.</summary>
    public static FactQuery FileQuery(IReadOnlyList<LdapDbConfigResource> resources) =>
        FileFacts.Query(resources.Select(r => new FileFactsPath(Sh.Quote(r.DbConfigPath), new FileFactsRead(FollowLinks: false, Content: FileContentRead.Text, AsControllingUser: true))).ToList());

    /// <exception cref="MalformedFactsException">A record out of its grammar.</exception>
    public static IReadOnlyList<LdapDbConfigObserved> Parse(string kind, IReadOnlyList<LdapDbConfigResource> resources, FactAnswers answers)
    {
        var own = answers[kind];
        var files = FileFacts.Parse(answers, resources.Count);
        var tools = own.Select(l => l.Split('\t')).Where(r => r[0] == "STAT").ToList();
        if (tools is not [{ Length: 2 } t] || (t[1] != "-" && !StatTools.Contains(t[1])))
        {
            throw new MalformedFactsException($"{kind} facts: not one STAT record naming a db_stat program or '-'");
        }

        var tool = t[1] == "-" ? null : t[1];
        var byIndex = FactRecords.ByIndex(kind, own, resources.Count, new HashSet<string>(["STAT"], StringComparer.Ordinal));
        return resources.Select((r, i) => One(kind, i, r, byIndex[i].ToList(), files[i], tool)).ToList();
    }

    private static LdapDbConfigObserved One(string kind, int i, LdapDbConfigResource resource, IReadOnlyList<string[]> records, FileFacts file, string? tool)
    {
        string? refused = null, shared = null;
        Shell.PathController? controller = null;
        var state = DbDirectoryState.NotRead;
        var (writable, flags) = (false, (string?)null);
        var databases = new List<DbDirectoryFile>();
        long? regionsMade = null, modified = null;
        DbCacheSize? cache = null;
        DbService? service = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in records)
        {
            if (r[0] != "F" && !seen.Add(r[0]))
            {
                throw new MalformedFactsException($"{kind} facts: the host answered '{Shorten(r[0])}' twice for resource {i}");
            }

            switch (r)
            {
                case ["B", _, ..]:
                    refused = r.FirstField() ?? "refused by the host";
                    break;
                case ["U", _, var uid, var user]:
                    controller = new Shell.PathController(uid, user);
                    break;
                case ["O", _, var directory]:
                    shared = directory;
                    break;
                case ["D", _, "missing"]:
                    state = DbDirectoryState.Missing;
                    break;
                case ["D", _, "not-directory"]:
                    state = DbDirectoryState.NotDirectory;
                    break;
                case ["D", _, "directory", var w and ("writable" or "read-only"), var f]:
                    (state, writable, flags) = (DbDirectoryState.Directory, w == "writable", f.Length == 0 ? null : f);
                    break;
                case ["F", _, var name, var bytes, var mtime] when Number(bytes) is { } b && Number(mtime) is { } m && name.Length > 0:
                    if (name.EndsWith(".bdb", StringComparison.Ordinal)) databases.Add(new DbDirectoryFile(name, b));
                    else if (name == LdapDbConfigObserved.FirstRegion) regionsMade = m;
                    break;
                case ["M", _, var mtime] when Number(mtime) is { } m:
                    modified = m;
                    break;
                case ["S", _, var manager and ("systemd" or "sysv" or "-"), var s and ("missing" or "running" or "stopped" or "not-lsb" or "unknown" or "invalid")]:
                    service = new DbService(manager, s);
                    break;
                case ["K", _, var g, var b, var n]:
                    // Berkeley DB's own reading: numbers, ncache 0 means one region. Anything else is no cache auto can keep.
                    if (Number(g) is { } gb && Number(b) is { } by && Number(n) is { } nc && gb < 1 << 20 && nc < 1 << 16)
                    {
                        cache = new DbCacheSize(gb, by, Math.Max(1, (int)nc));
                    }

                    break;
                default:
                    throw new MalformedFactsException($"{kind} facts: a '{Shorten(r[0])}' record that is not one of a database directory's");
            }
        }

        if (refused is null && state == DbDirectoryState.NotRead)
        {
            throw new MalformedFactsException($"{kind} facts: no D record for resource {i}");
        }

        if (service is null)
        {
            throw new MalformedFactsException($"{kind} facts: no S record (its service) for resource {i}");
        }

        return new LdapDbConfigObserved(
            refused, controller, shared, state, writable, flags,
            resource.CacheAuto ? databases.OrderBy(d => d.Name, StringComparer.Ordinal).ToList() : [],
            regionsMade is { } made && modified is { } changed && made < changed ? new DbStaleRegions(made, changed) : null,
            cache, file, service, tool);
    }

    private static long? Number(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= MaxBytes ? n : null;

    private static string Shorten(string text) => Excerpt.Cut(text, 16);
}
