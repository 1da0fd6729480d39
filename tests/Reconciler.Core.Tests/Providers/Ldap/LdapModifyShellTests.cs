using Reconciler.Core.Engine;
using Reconciler.Core.Shell;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Providers.Ldap;

/// <summary>
/// rc_ldap_modify (ldap.sh) run with /bin/sh against stand-in slapmodify, slaptest and ldapmodify (first on PATH, each
/// logging that it ran and where) and a scratch slapd.d: the staged copy is what root's tools read and write, so it must
/// be root's alone, hold nothing that leads elsewhere, be gone afterwards whatever happened, and a refusal on it must stop
/// the live change.
/// </summary>
public sealed class LdapModifyShellTests : IDisposable
{
    private readonly TempDir _dir = new();

    public LdapModifyShellTests()
    {
        Directory.CreateDirectory(_dir["bin"]);
        Directory.CreateDirectory(_dir["tmp"]);
        Directory.CreateDirectory(_dir["slapd.d/cn=config"]);
        File.WriteAllText(_dir["slapd.d/cn=config.ldif"], "dn: cn=config\nolcRootPW: {SSHA}secret\n");
        File.WriteAllText(_dir["slapd.d/cn=config/olcDatabase={1}mdb.ldif"], "dn: olcDatabase={1}mdb,cn=config\n");
        Tool("slapmodify", "printf 'slapmodify %s\\n' \"$(stat -c %a \"${2%/*}\")\" >>\"$RC_TEST_LOG\"; [ -z \"$RC_TEST_REFUSE\" ] || { echo 'bad olcDbNoSync'; exit 1; }");
        Tool("slaptest", "echo slaptest >>\"$RC_TEST_LOG\"");
        Tool("ldapmodify", "echo ldapmodify >>\"$RC_TEST_LOG\"");
    }

    public void Dispose() => _dir.Dispose();

    private void Tool(string name, string body)
    {
        File.WriteAllText(_dir[$"bin/{name}"], "#!/bin/sh\n" + body + "\n");
        LocalShell.Run($"chmod 0755 {Sh.Quote(_dir[$"bin/{name}"])}");
    }

    private (ScriptResult Result, string Log) Modify(string refuse = "")
    {
        var ldif = Sh.Base64("dn: olcDatabase={1}mdb,cn=config\nchangetype: modify\nreplace: olcDbNoSync\nolcDbNoSync: TRUE\n-\n");
        var result = LocalShell.Run(
            $"PATH={Sh.Quote(_dir["bin"])}:$PATH TMPDIR={Sh.Quote(_dir["tmp"])} RC_TEST_LOG={Sh.Quote(_dir["log"])} RC_TEST_REFUSE={Sh.Quote(refuse)}; export PATH TMPDIR RC_TEST_LOG RC_TEST_REFUSE\n" +
            $"{ShellFiles.Load("ldap.sh")}\nrc_ldap_modify {Sh.Quote(ldif)} {Sh.Quote(_dir["slapd.d"])}");
        return (result, File.Exists(_dir["log"]) ? File.ReadAllText(_dir["log"]) : "");
    }

    [Fact]
    public void The_change_is_tried_on_a_copy_only_root_can_enter_and_then_made_live_and_the_copy_is_removed()
    {
        var (result, log) = Modify();

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("slapmodify 700\nslaptest\nldapmodify\n", log);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir["tmp"]));
    }

    /// <summary>Class: the trial on the copy does not protect the live config. A refusal there stops before ldapmodify, and the copy (with olcRootPW) is removed.</summary>
    [Fact]
    public void A_refusal_on_the_copy_changes_nothing_live_and_leaves_no_copy()
    {
        var (result, log) = Modify(refuse: "yes");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("slapmodify refused the change on a copy of cn=config; nothing changed", result.Stdout);
        Assert.DoesNotContain("ldapmodify", log);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir["tmp"]));
    }

    /// <summary>
    /// Class: root following a link slapd's user planted. slapd.d is the openldap user's; a link in it (cn=config -> any
    /// directory, a *.ldif -> /etc/shadow) or a FIFO would be followed by root's slapmodify and slaptest on the copy: the
    /// apply stops before any of them runs, and the copy is removed.
    /// </summary>
    [Theory]
    [InlineData("ln -s /etc/shadow", "cn=config/olcDatabase={2}mdb.ldif")]
    [InlineData("mkfifo", "cn=config/olcDatabase={2}mdb.ldif")]
    public void A_link_or_fifo_in_slapd_d_stops_the_apply_before_root_reads_the_copy(string make, string name)
    {
        LocalShell.Run($"{make} {Sh.Quote(_dir[$"slapd.d/{name}"])}");

        var (result, log) = Modify();

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"holds /{name}, not a directory or regular file", result.Stdout);
        Assert.Equal("", log);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir["tmp"]));
    }
}
