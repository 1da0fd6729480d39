using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Reconciler.Integration.Tests.Fixtures;

/// <summary>
/// A Debian 12 host running Debian's stock slapd 2.5 (image reconciler/host-ldap:1, built by scripts/build-images.sh
/// from Hosts/debian-ldap), for the OpenLDAP kinds of issue #19. <see cref="Host"/> is an ordinary
/// <see cref="DebianHost"/> (sshd, root and deploy keys); slapd is started by its init script before sshd, on
/// ldap:/// and ldapi:///, with one MDB database for <see cref="Suffix"/> in <see cref="MdbDirectory"/>.
/// <para>What the package sets up, and tests may rely on: root (uid 0 over ldapi:///, <c>-Y EXTERNAL</c>) manages
/// cn=config but may only <em>read</em> the suffix (the database's own ACL ends in <c>to * by * read</c>), so entries
/// are written as the rootdn <see cref="AdminDn"/> with <see cref="AdminPassword"/>; Debian sets
/// <c>olcDbMaxSize: 1073741824</c> (1 GiB) itself, not LMDB's 10 MiB default; anonymous searches stop at 500 entries
/// (slapd's default size limit), the rootdn's do not.</para>
/// <para>For the legacy DB_CONFIG path (slapd ≤ 2.4, which Debian 12 no longer ships), <see cref="MakeBerkeleyEnvironmentAsync"/>
/// builds a real Berkeley DB 5.3 environment with db5.3_load, and <see cref="InstallBerkeleyStandInAsync"/> a sysv
/// service that opens it the way back-bdb does at start.</para>
/// </summary>
public sealed class LdapHost : IAsyncDisposable
{
    public const string Image = "reconciler/host-ldap:1";
    public const string Suffix = "dc=example,dc=test";
    public const string PeopleDn = "ou=people," + Suffix;
    public const string AdminDn = "cn=admin," + Suffix;

    /// <summary>The rootdn's password: fixed, test-only, baked into the image (Dockerfile ARG LDAP_ADMIN_PASSWORD).</summary>
    public const string AdminPassword = "reconciler-test-only";

    /// <summary>The MDB database's entry in cn=config (the package's only data database).</summary>
    public const string MdbConfigDn = "olcDatabase={1}mdb,cn=config";

    /// <summary>olcDbDirectory of <see cref="MdbConfigDn"/>: data.mdb and lock.mdb.</summary>
    public const string MdbDirectory = "/var/lib/ldap";

    /// <summary>Where <see cref="MakeBerkeleyEnvironmentAsync"/> builds the legacy environment unless told otherwise.</summary>
    public const string LegacyDirectory = "/var/lib/ldap-legacy";

    /// <summary>The seed's DB_CONFIG: a 256 MiB cache in one region, a 2 MiB log buffer, a 256 KiB log region.</summary>
    public const string SeedDbConfig = "set_cachesize 0 268435456 1\nset_lg_bsize 2097152\nset_lg_regionmax 262144\n";

    /// <summary>
    /// The legacy environment's databases (name, records, bytes per record), loaded with 4 KiB pages so the file
    /// sizes are the same on every run: id2entry.bdb the largest, as in a real back-bdb directory, then dn2id.bdb
    /// and three attribute indexes, all of different sizes.
    /// </summary>
    public static readonly IReadOnlyList<(string File, int Records, int ValueBytes)> BerkeleyDatabases =
    [
        ("id2entry.bdb", 4000, 900),
        ("dn2id.bdb", 4000, 48),
        ("objectClass.bdb", 600, 120),
        ("cn.bdb", 2500, 16),
        ("uid.bdb", 1000, 8),
    ];

    private int _entriesLoaded;

    private LdapHost(DebianHost host) => Host = host;

    /// <summary>The host under test: ssh, exec, host key.</summary>
    public DebianHost Host { get; }

    /// <summary>Starts a host from <see cref="Image"/>; slapd answers on ldapi:/// once this returns (the entrypoint waits for it).</summary>
    public static async Task<LdapHost> StartAsync(SshKeyPair? keyPair = null, CancellationToken ct = default)
    {
        var host = await DebianHost.StartAsync(keyPair, ct, Image).ConfigureAwait(false);
        var ldap = new LdapHost(host);
        try
        {
            // The entrypoint gives up waiting after 10 s and starts sshd anyway: say so here, not in a later assertion.
            await ldap.RunAsync("ldapsearch -Q -LLL -Y EXTERNAL -H ldapi:/// -s base -b '' namingContexts", ct).ConfigureAwait(false);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return ldap;
    }

    /// <summary>
    /// Adds <paramref name="count"/> inetOrgPerson entries (uid=userNNNNNN) under <see cref="PeopleDn"/> (made on the
    /// first call) with one ldapadd as the rootdn over ldapi:///, each with a <c>description</c> of
    /// <paramref name="descriptionBytes"/> bytes so the database grows by pages, not bytes: 10,000 entries of 1 KiB
    /// make about 10,650 pages (42 MiB). A later call adds new entries after the earlier ones.
    /// <para>Every add is its own transaction, and LMDB syncs each commit: on a busy machine 5,000 adds took 30 s. So
    /// the load runs with <c>olcDbNoSync: TRUE</c> (10,000 entries in about 2 s) and then puts olcDbNoSync back as it
    /// was (deleted when it was absent); the database's cn=config entry differs afterwards only in its
    /// modifyTimestamp/entryCSN. Load before a test reads its baseline, not while the product is applying.</para>
    /// </summary>
    public async Task<TimeSpan> LoadEntriesAsync(int count, int descriptionBytes = 1024, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(descriptionBytes);
        var first = _entriesLoaded + 1;
        // The LDIF is made inside the container (megabytes would not fit in an exec argument); -c is not given, so
        // the first entry slapd refuses fails the load.
        var script = $$"""
            set -eu
            ldif=$(mktemp /tmp/ldap-load.XXXXXX)
            trap 'rm -f "$ldif"' EXIT
            if [ {{first}} -eq 1 ]; then
              printf 'dn: {{PeopleDn}}\nobjectClass: organizationalUnit\nou: people\n\n' >"$ldif"
            fi
            awk -v first={{first}} -v n={{count}} -v bytes={{descriptionBytes}} 'BEGIN {
              pad = ""; while (length(pad) < bytes) pad = pad "0123456789abcdef";
              pad = substr(pad, 1, bytes);
              for (i = first; i < first + n; i++) {
                printf "dn: uid=user%06d,{{PeopleDn}}\nobjectClass: inetOrgPerson\nuid: user%06d\n", i, i;
                printf "cn: Test User %06d\nsn: User%06d\nmail: user%06d@example.test\ndescription: %s\n\n", i, i, i, pad;
              }
            }' >>"$ldif"
            ldapadd -x -D '{{AdminDn}}' -w '{{AdminPassword}}' -H ldapi:/// -f "$ldif" >/dev/null
            """;
        var noSync = (await ConfigEntryAsync(ct: ct).ConfigureAwait(false)).Where(a => a.Key == "olcDbNoSync").Select(a => a.Value).ToList();
        var watch = Stopwatch.StartNew();
        await ReplaceMdbAttributeAsync("olcDbNoSync", "TRUE", ct).ConfigureAwait(false);
        try
        {
            await RunAsync(script, ct).ConfigureAwait(false);
        }
        finally
        {
            await ModifyConfigAsync(
                $"dn: {MdbConfigDn}\nchangetype: modify\n" +
                (noSync.Count == 0 ? "delete: olcDbNoSync\n" : $"replace: olcDbNoSync\n{string.Concat(noSync.Select(v => $"olcDbNoSync: {v}\n"))}"),
                CancellationToken.None).ConfigureAwait(false);
        }

        watch.Stop();
        _entriesLoaded += count;
        return watch.Elapsed;
    }

    /// <summary>Entries <see cref="LoadEntriesAsync"/> has added so far (not counting ou=people).</summary>
    public int EntriesLoaded => _entriesLoaded;

    /// <summary>
    /// The DNs an ldapsearch returns, bound as the rootdn (no size limit) over ldap:/// (TCP), as a client would ask.
    /// </summary>
    public async Task<IReadOnlyList<string>> SearchDnsAsync(string baseDn = Suffix, string filter = "(objectClass=*)", string scope = "sub", CancellationToken ct = default)
    {
        var output = await RunAsync(
            $"ldapsearch -LLL -o ldif-wrap=no -x -D '{AdminDn}' -w '{AdminPassword}' -H ldap:/// -s {scope} -b {Quote(baseDn)} {Quote(filter)} 1.1", ct).ConfigureAwait(false);
        return output.Split('\n')
            .Where(line => line.StartsWith("dn: ", StringComparison.Ordinal))
            .Select(line => line[4..])
            .ToList();
    }

    /// <summary><c>mdb_stat -ef</c> of <paramref name="directory"/> (default <see cref="MdbDirectory"/>), parsed.</summary>
    public async Task<MdbStat> MdbStatAsync(string directory = MdbDirectory, CancellationToken ct = default)
    {
        var output = await RunAsync($"mdb_stat -ef {Quote(directory)}", ct).ConfigureAwait(false);
        return MdbStat.Parse(output);
    }

    /// <summary><c>slapcat -n0 -o ldif-wrap=no</c>: all of cn=config, as the product's batched read sees it.</summary>
    public Task<string> SlapcatConfigAsync(CancellationToken ct = default) => RunAsync("slapcat -n0 -o ldif-wrap=no", ct);

    /// <summary>
    /// The attributes of <paramref name="dn"/> (default <see cref="MdbConfigDn"/>) in <c>slapcat -n0</c>, in order,
    /// each value as slapcat prints it (a base64 value, <c>attr:: …</c>, keeps its base64 and is keyed <c>attr:</c>).
    /// </summary>
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> ConfigEntryAsync(string dn = MdbConfigDn, CancellationToken ct = default)
    {
        var ldif = await SlapcatConfigAsync(ct).ConfigureAwait(false);
        var block = ldif.Split("\n\n").FirstOrDefault(b => b.StartsWith($"dn: {dn}\n", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"slapcat -n0 has no entry {dn}");
        return block.Split('\n').Skip(1)
            .Where(line => line.Contains(':', StringComparison.Ordinal))
            .Select(line =>
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var base64 = colon + 1 < line.Length && line[colon + 1] == ':';
                var key = base64 ? line[..(colon + 1)] : line[..colon];
                return new KeyValuePair<string, string>(key, line[(colon + (base64 ? 2 : 1))..].TrimStart(' '));
            })
            .ToList();
    }

    /// <summary>Runs <paramref name="ldif"/> through <c>ldapmodify -Y EXTERNAL -H ldapi:///</c> as root (cn=config changes, a hand edit).</summary>
    public Task<string> ModifyConfigAsync(string ldif, CancellationToken ct = default) =>
        RunAsync($"printf %s {Base64(ldif)} | base64 -d | ldapmodify -Q -Y EXTERNAL -H ldapi:///", ct);

    /// <summary>Sets one attribute of <see cref="MdbConfigDn"/> live (a replace, as the product applies).</summary>
    public Task<string> ReplaceMdbAttributeAsync(string attribute, string value, CancellationToken ct = default) =>
        ModifyConfigAsync($"dn: {MdbConfigDn}\nchangetype: modify\nreplace: {attribute}\n{attribute}: {value}\n", ct);

    /// <summary>
    /// Builds a Berkeley DB 5.3 environment in <paramref name="directory"/> as a back-bdb directory looks: the
    /// <see cref="BerkeleyDatabases"/> loaded with db5.3_load (btree, 4 KiB pages), then the environment opened once
    /// with <c>db5.3_recover -e</c> so its region files (__db.001–__db.003) exist with default settings (no DB_CONFIG
    /// yet), everything owned by openldap. Returns the database files' sizes as <c>stat -c %s</c> sees them.
    /// </summary>
    public async Task<BerkeleyEnvironment> MakeBerkeleyEnvironmentAsync(string directory = LegacyDirectory, CancellationToken ct = default)
    {
        var dir = Quote(directory);
        var script = new StringBuilder($"set -eu\nrm -rf {dir}\nmkdir -p {dir}\n");
        foreach (var (file, records, valueBytes) in BerkeleyDatabases)
        {
            // -T: plain text input, a key line then a value line; keys are fixed-width so the order is the numeric one.
            script.Append(CultureInfo.InvariantCulture,
                $"awk -v n={records} -v bytes={valueBytes} 'BEGIN {{ pad = \"\"; while (length(pad) < bytes) pad = pad \"x\"; " +
                $"for (i = 1; i <= n; i++) {{ printf \"%08d\\n\", i; print substr(sprintf(\"%08d\", i) pad, 1, bytes) }} }}' " +
                $"| db5.3_load -T -t btree -c db_pagesize=4096 -h {dir} {Quote(file)}\n");
        }

        script.Append(CultureInfo.InvariantCulture, $"db5.3_recover -e -h {dir}\nchown -R openldap:openldap {dir}\n");
        await RunAsync(script.ToString(), ct).ConfigureAwait(false);
        var sizes = await FileSizesAsync(directory, "*.bdb", ct).ConfigureAwait(false);
        return new BerkeleyEnvironment(directory, sizes);
    }

    /// <summary>Sizes (<c>stat -c %s</c>) of the files in <paramref name="directory"/> matching <paramref name="pattern"/>, by name.</summary>
    public async Task<IReadOnlyDictionary<string, long>> FileSizesAsync(string directory, string pattern, CancellationToken ct = default)
    {
        var output = await RunAsync($"cd {Quote(directory)} && for f in {pattern}; do [ -f \"$f\" ] && stat -c '%s %n' \"$f\"; done; true", ct).ConfigureAwait(false);
        return ParseSizes(output);
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="directory"/>/DB_CONFIG (openldap's, 0644).</summary>
    public Task WriteDbConfigAsync(string content, string directory = LegacyDirectory, CancellationToken ct = default) =>
        RunAsync($"printf %s {Base64(content)} | base64 -d >{Quote(directory + "/DB_CONFIG")} && chown openldap:openldap {Quote(directory + "/DB_CONFIG")} && chmod 0644 {Quote(directory + "/DB_CONFIG")}", ct);

    /// <summary>
    /// The seed's procedure without slapd: remove the __db.* region files, then open the environment again with
    /// <c>db5.3_recover -e</c>, which creates the regions from DB_CONFIG (db5.3_stat cannot: it only joins an
    /// environment that exists). db5.3_recover would recreate the regions even if they were not removed: DB_RECOVER
    /// always does.
    /// </summary>
    public Task RecreateBerkeleyRegionsAsync(string directory = LegacyDirectory, CancellationToken ct = default) =>
        RunAsync($"set -eu\nrm -f {Quote(directory)}/__db.*\ndb5.3_recover -e -h {Quote(directory)}\nchown openldap:openldap {Quote(directory)}/__db.*", ct);

    /// <summary>The region files (__db.*) of <paramref name="directory"/> and their sizes (<c>stat -c %s</c>), by name.</summary>
    public Task<IReadOnlyDictionary<string, long>> RegionFilesAsync(string directory = LegacyDirectory, CancellationToken ct = default) =>
        FileSizesAsync(directory, "__db.*", ct);

    /// <summary>
    /// What the environment's regions were made with, from <c>db5.3_stat -m</c> (cache) and <c>db5.3_stat -l</c> (log),
    /// and which environment they are (<c>db5.3_stat -e</c>: its ID, new each time the regions are created, and its
    /// creation time). Fails when no region exists (db5.3_stat only joins). Berkeley DB adds 25 % to a cache under
    /// 500 MB for its own overhead, so the seed's 268435456 reads back as "320MB 8KB" (335,552,512 bytes).
    /// Removed and recreated region files get the old inode numbers back on overlayfs: compare <see cref="BerkeleyRegions.EnvironmentId"/>.
    /// </summary>
    public async Task<BerkeleyRegions> BerkeleyRegionsAsync(string directory = LegacyDirectory, CancellationToken ct = default)
    {
        var mpool = await RunAsync($"db5.3_stat -m -h {Quote(directory)}", ct).ConfigureAwait(false);
        var log = await RunAsync($"db5.3_stat -l -h {Quote(directory)}", ct).ConfigureAwait(false);
        var environment = await RunAsync($"db5.3_stat -e -h {Quote(directory)}", ct).ConfigureAwait(false);
        return new BerkeleyRegions(
            EnvironmentId: StatValue(environment, "Environment ID"),
            Created: StatValue(environment, "Creation time"),
            CacheBytes: ParseDbBytes(StatValue(mpool, "Total cache size")),
            Caches: int.Parse(StatValue(mpool, "Number of caches"), CultureInfo.InvariantCulture),
            LogBufferBytes: ParseDbBytes(StatValue(log, "Log record cache size")),
            LogRegionBytes: ParseDbBytes(StatValue(log, "Region size")),
            MpoolStat: mpool,
            LogStat: log);
    }

    /// <summary>
    /// Installs /etc/init.d/<paramref name="service"/>, a sysv service standing in for a slapd 2.4 with a BDB database in
    /// <paramref name="directory"/> (Debian 12 has none): <c>start</c> opens the environment as back-bdb's bdb_db_open
    /// does — it recovers, and so recreates the regions from DB_CONFIG, only when there is no __db.001 or DB_CONFIG's
    /// mtime (seconds) is newer than __db.001's (OpenLDAP 2.3+), and otherwise joins the regions as they are — then
    /// keeps a process running (as openldap) that <c>status</c> and <c>stop</c> see. Enabled in runlevels 2–5, running.
    /// </summary>
    public Task InstallBerkeleyStandInAsync(string service = "slapd-legacy", string directory = LegacyDirectory, CancellationToken ct = default)
    {
        var script = $$"""
            #!/bin/sh
            ### BEGIN INIT INFO
            # Provides:          {{service}}
            # Required-Start:    $remote_fs
            # Required-Stop:     $remote_fs
            # Default-Start:     2 3 4 5
            # Default-Stop:      0 1 6
            # Short-Description: test stand-in for slapd 2.4 with a BDB database in {{directory}}
            ### END INIT INFO
            DIR='{{directory}}'
            PIDFILE=/run/{{service}}.pid
            running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
            open_environment() {
              # back-bdb (OpenLDAP 2.3+): recover, which recreates the regions, when DB_CONFIG is newer than __db.001.
              if [ ! -f "$DIR/__db.001" ] || { [ -f "$DIR/DB_CONFIG" ] &&
                   [ "$(stat -c %Y "$DIR/__db.001")" -lt "$(stat -c %Y "$DIR/DB_CONFIG")" ]; }; then
                db5.3_recover -e -h "$DIR" || return 1
                chown openldap:openldap "$DIR"/__db.*
              fi
            }
            case "$1" in
              start)
                running && exit 0
                [ -d "$DIR" ] || { echo "{{service}}: $DIR does not exist" >&2; exit 1; }
                open_environment || { echo "{{service}}: could not open the environment in $DIR" >&2; exit 1; }
                start-stop-daemon --start --quiet --background --make-pidfile --pidfile "$PIDFILE" \
                  --chuid openldap --exec /bin/sleep -- infinity ;;
              stop)
                start-stop-daemon --stop --quiet --oknodo --retry 5 --pidfile "$PIDFILE"
                rm -f "$PIDFILE" ;;
              restart|force-reload)
                "$0" stop && "$0" start ;;
              status)
                if running; then echo "{{service}} is running"; exit 0; fi
                echo "{{service}} is not running"; exit 3 ;;
              *)
                echo "Usage: $0 {start|stop|restart|force-reload|status}" >&2; exit 2 ;;
            esac
            """;
        return RunAsync(
            $"set -eu\nprintf %s {Base64(script + "\n")} | base64 -d >/etc/init.d/{service}\nchmod 0755 /etc/init.d/{service}\n" +
            $"update-rc.d {service} defaults >/dev/null\n/etc/init.d/{service} start", ct);
    }

    /// <summary>Runs a shell script as root in the container; throws with its output when it fails.</summary>
    public async Task<string> RunAsync(string script, CancellationToken ct = default)
    {
        var (exit, stdout, stderr) = await Host.ExecAsync(script, ct).ConfigureAwait(false);
        if (exit != 0)
        {
            throw new InvalidOperationException($"exit {exit} from: {script}\n{stdout}{stderr}");
        }

        return stdout;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    public override string ToString() => Host.ToString();

    /// <summary>Parses db_stat's byte counts as __db_dlbytes prints them: "320MB 8KB", "2MB", "31KB 256B", "0".</summary>
    public static long ParseDbBytes(string text)
    {
        long total = 0;
        foreach (var part in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var match = Regex.Match(part, "^([0-9]+)(GB|MB|KB|B)?$");
            if (!match.Success)
            {
                throw new FormatException($"not a db_stat byte count: '{text}'");
            }

            var value = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            total += value * match.Groups[2].Value switch
            {
                "GB" => 1L << 30,
                "MB" => 1L << 20,
                "KB" => 1L << 10,
                _ => 1L,
            };
        }

        return total;
    }

    // db_stat prints "VALUE<TAB>Description"; the first line whose description is exactly the one asked for.
    private static string StatValue(string output, string description)
    {
        foreach (var line in output.Split('\n'))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0 && line[(tab + 1)..].TrimEnd() == description)
            {
                return line[..tab];
            }
        }

        throw new InvalidOperationException($"db5.3_stat printed no '{description}':\n{output}");
    }

    private static IReadOnlyDictionary<string, long> ParseSizes(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .ToDictionary(p => p[1], p => long.Parse(p[0], CultureInfo.InvariantCulture), StringComparer.Ordinal);

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Base64(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
}

/// <summary><c>mdb_stat -ef</c>: the environment's map and page counts. <see cref="MapSize"/> is the largest map
/// size ever committed to the meta page (LMDB never lowers it): it is not the live olcDbMaxSize after a decrease.</summary>
public sealed record MdbStat(long MapSize, long PageSize, long MaxPages, long PagesUsed, long FreePages, long LastTransactionId)
{
    /// <summary>Pages used × page size: the high-water mark of the data file, free pages included.</summary>
    public long UsedBytes => PagesUsed * PageSize;

    public static MdbStat Parse(string output)
    {
        long Field(string name)
        {
            var match = Regex.Match(output, $"^\\s*{Regex.Escape(name)}: ([0-9]+)\\s*$", RegexOptions.Multiline);
            return match.Success
                ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
                : throw new InvalidOperationException($"mdb_stat printed no '{name}':\n{output}");
        }

        return new MdbStat(Field("Map size"), Field("Page size"), Field("Max pages"), Field("Number of pages used"), Field("Free pages"), Field("Last transaction ID"));
    }
}

/// <summary>A Berkeley DB environment made by <see cref="LdapHost.MakeBerkeleyEnvironmentAsync"/>: the *.bdb files and their sizes in bytes.</summary>
public sealed record BerkeleyEnvironment(string Directory, IReadOnlyDictionary<string, long> DatabaseSizes)
{
    /// <summary>The seed's rule for slapadd: the cache is the size of all *.bdb files.</summary>
    public long AllDatabasesBytes => DatabaseSizes.Values.Sum();

    public long Id2EntryBytes => DatabaseSizes["id2entry.bdb"];
}

/// <summary>The regions as db5.3_stat reads them back: which environment (-e), the cache (-m), the log buffer and log region (-l), in bytes.</summary>
public sealed record BerkeleyRegions(string EnvironmentId, string Created, long CacheBytes, int Caches, long LogBufferBytes, long LogRegionBytes, string MpoolStat, string LogStat);
