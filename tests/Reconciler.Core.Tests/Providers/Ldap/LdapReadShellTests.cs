using System.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Resources.Ldap;
using Reconciler.Core.Shell;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Providers.Ldap;

/// <summary>
/// ldap-read.sh run with /bin/sh against stand-in slapcat and mdb_stat (first on PATH): slapd.d and the database
/// directories belong to slapd's user, not root, so what that user leaves there must neither hold the read nor make
/// root create files there.
/// </summary>
public sealed class LdapReadShellTests : IDisposable
{
    private readonly TempDir _dir = new();

    public LdapReadShellTests()
    {
        Directory.CreateDirectory(_dir["bin"]);
        Directory.CreateDirectory(_dir["db"]);
    }

    public void Dispose() => _dir.Dispose();

    private ScriptResult Read(string mdbStat)
    {
        File.WriteAllText(_dir["bin/slapcat"], $"#!/bin/sh\nprintf 'dn: olcDatabase={{1}}mdb,cn=config\\nolcSuffix: dc=example,dc=test\\nolcDbDirectory: {_dir["db"]}\\n'\n");
        File.WriteAllText(_dir["bin/mdb_stat"], "#!/bin/sh\n" + mdbStat + "\n");
        LocalShell.Run($"chmod 0755 {Sh.Quote(_dir["bin/slapcat"])} {Sh.Quote(_dir["bin/mdb_stat"])}");
        return LocalShell.Run($"PATH={Sh.Quote(_dir["bin"])}:$PATH\n{LdapFacts.ReadScript()}");
    }

    /// <summary>Class: a read unbounded in time. A database directory's owner can stall mdb_stat (a FIFO, a hung mount): it is cut at 10 s.</summary>
    [Fact]
    public void A_stalled_mdb_stat_is_cut_and_the_map_is_not_reported()
    {
        File.WriteAllText(_dir["db/data.mdb"], "");
        File.WriteAllText(_dir["db/lock.mdb"], "");
        var clock = Stopwatch.StartNew();

        var result = Read("sleep 60");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"the read waited {clock.Elapsed}");
        Assert.Contains($"MDB\t{_dir["db"]}\t-\t-\t-", result.Stdout);
    }

    /// <summary>
    /// Class: root acting in a directory another user controls. mdb_stat as root on a directory without lock.mdb (or with
    /// a FIFO or link for data.mdb) would create a root-owned lock.mdb slapd cannot open, or block on the FIFO: not run.
    /// </summary>
    [Fact]
    public void Mdb_stat_runs_only_on_a_database_slapd_has_opened()
    {
        LocalShell.Run($"mkfifo {Sh.Quote(_dir["db/data.mdb"])}");
        var marker = _dir["ran"];

        var result = Read($"touch {Sh.Quote(marker)}");

        Assert.False(File.Exists(marker), "mdb_stat ran on a FIFO data.mdb without lock.mdb");
        Assert.Contains($"MDB\t{_dir["db"]}\t-\t-\t-", result.Stdout);
    }
}
