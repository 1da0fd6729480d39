using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>
/// dovecot_file and dovecot_probe against a real dovecot (reconciler/host-mail:1, started by its init script, no
/// systemd): apply with a login probe, drift, and the transaction's rollback when doveconf, the restart or the probe
/// fails. The probe user lives in a passwd-file so these tests need no database.
/// </summary>
public sealed class DovecotTests
{
    private const string MailImage = "reconciler/host-mail:1";
    private const string Password = "Al1ce-probe \"pass\" 5e7c";
    private const string UsersLine = "alice@example.test:{PLAIN}{{ secret \"alice_password\" }}::::::\n";

    private static readonly Dictionary<string, string> Secrets = new() { ["RECONCILER_SECRET_ALICE_PASSWORD"] = Password };

    private const string LocalConf = """
        # Managed by reconciler
        protocols = imap
        mmap_disable = yes
        mail_location = maildir:/var/vmail/%d/%n/Maildir
        first_valid_uid = 80000
        last_valid_uid = 80000
        passdb {
          driver = passwd-file
          args = scheme=PLAIN username_format=%u /etc/dovecot/reconciler-users
        }
        userdb {
          driver = static
          args = uid=80000 gid=80000 home=/var/vmail/%d/%n
        }
        service auth {
          unix_listener /var/spool/postfix/private/auth {
            mode = 0660
            user = postfix
            group = postfix
          }
        }
        """;

    private const string Files = "/etc/dovecot/local.conf /etc/dovecot/reconciler-users";

    private static string Spec(string localConf) => $"""
        kind: resources
        target: {"{"} host: mail1 {"}"}
        dovecot:
          files:
            - path: /etc/dovecot/local.conf
              content: |
        {string.Join('\n', localConf.Split('\n').Select(l => "        " + l))}
            - path: /etc/dovecot/reconciler-users
              template: ../templates/users.sbn
              mode: "0640"
              group: dovecot
          probe:
            user: alice@example.test
            password: {"{"} secret: alice_password {"}"}
        """;

    private static async Task<(DebianHost Host, SpecsWorkspace Specs)> StartAsync()
    {
        var host = await DebianHost.StartAsync(image: MailImage);
        var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("mail1", host, DebianHost.RootUser, "web")]);
        specs.Write("templates/users.sbn", UsersLine);
        specs.Write("mail/dovecot.yaml", Spec(LocalConf));
        // The mailbox storage the userdb names; creating it is not part of dovecot's configuration.
        await host.ExecAsync("mkdir -p /var/vmail && chown 80000:80000 /var/vmail");
        return (host, specs);
    }

    private static Task<CliRun> Run(SpecsWorkspace specs, params string[] command) =>
        CliRun.ExecWithEnvironmentAsync(Secrets, [.. command, "--specs", specs.Directory]);

    private static void AssertNoSecret(CliRun run) => Assert.DoesNotContain(Password, run.Stdout + run.Stderr);

    [Fact]
    public async Task Apply_restarts_dovecot_into_the_declared_config_the_probe_logs_in_and_a_hand_edit_is_drift()
    {
        var (host, specs) = await StartAsync();
        await using var _ = host;
        using var __ = specs;

        var plan = await Run(specs, "plan");
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("one transaction for 2 dovecot change(s): staged copy checked with doveconf, swapped in, dovecot restarted, IMAP probed with a login as alice@example.test", plan.Stdout);
        Assert.Contains("+mmap_disable = yes", plan.Stdout);
        Assert.Contains("content: (sensitive value changed)", plan.Stdout);
        AssertNoSecret(plan);

        var apply = await Run(specs, "apply", "--yes");
        Assert.True(apply.ExitCode == 0, apply.ToString());
        AssertNoSecret(apply);
        Assert.Equal("imap\nyes\nmaildir:/var/vmail/%d/%n/Maildir\n80000\n",
            (await host.ExecAsync("doveconf -h protocols mmap_disable mail_location first_valid_uid")).Stdout);
        Assert.Equal("-rw-r----- root dovecot", (await host.ExecAsync("stat -c '%A %U %G' /etc/dovecot/reconciler-users")).Stdout.Trim());
        Assert.Contains("a OK", (await host.ExecAsync(ImapLogin(Password))).Stdout);
        Assert.Equal(0, (await host.ExecAsync("test -S /var/spool/postfix/private/auth")).ExitCode);
        Assert.NotEqual(0, (await host.ExecAsync("ls -d /etc/.reconciler-dovecot.*")).ExitCode);

        var again = await Run(specs, "plan");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("mail1: no changes", again.Stdout);

        await host.ExecAsync("sed -i 's/^mmap_disable = yes/mmap_disable = no/' /etc/dovecot/local.conf");
        var drift = await Run(specs, "drift");
        Assert.True(drift.ExitCode == 2, drift.ToString());
        Assert.Contains("dovecot_file[/etc/dovecot/local.conf]", drift.Stdout);
        AssertNoSecret(drift);

        // A change to an ordinary setting reloads; the login still works afterwards.
        var replan = await Run(specs, "plan");
        Assert.Contains("dovecot reloaded", replan.Stdout);
        var reapply = await Run(specs, "apply", "--yes");
        Assert.True(reapply.ExitCode == 0, reapply.ToString());
        Assert.Equal("yes", (await host.ExecAsync("doveconf -h mmap_disable")).Stdout.Trim());
    }

    [Fact]
    public async Task A_setting_doveconf_rejects_is_never_swapped_in_and_dovecot_keeps_serving()
    {
        var (host, specs) = await StartAsync();
        await using var _ = host;
        using var __ = specs;
        Assert.Equal(0, (await Run(specs, "apply", "--yes")).ExitCode);
        var before = (await host.ExecAsync($"sha256sum {Files}")).Stdout;

        specs.Write("mail/dovecot.yaml", Spec(LocalConf.Replace("mmap_disable = yes", "mmap_disable = no\nmail_locaton = maildir:~")));
        var apply = await Run(specs, "apply", "--yes");

        Assert.True(apply.ExitCode == 1, apply.ToString());
        Assert.Contains("dovecot transaction: validation (doveconf) failed", apply.Stdout);
        Assert.Contains("Error in configuration file /etc/dovecot/local.conf line 4: Unknown setting: mail_locaton", apply.Stdout);
        AssertNoSecret(apply);
        Assert.Equal(before, (await host.ExecAsync($"sha256sum {Files}")).Stdout);
        Assert.Equal("yes", (await host.ExecAsync("doveconf -h mmap_disable")).Stdout.Trim());
        Assert.Contains("a OK", (await host.ExecAsync(ImapLogin(Password))).Stdout);
        Assert.NotEqual(0, (await host.ExecAsync("ls -d /etc/.reconciler-dovecot.*")).ExitCode);
    }

    [Theory]
    // doveconf accepts a passdb file that does not exist; only the login finds it, and the old files come back.
    [InlineData("/etc/dovecot/reconciler-users", "/etc/dovecot/no-such-users", "IMAP probe (previous files restored, dovecot reloaded)", "LOGIN as alice@example.test")]
    // A new listener on sshd's port: doveconf accepts it, the restart it needs cannot bind, the old config is restarted.
    [InlineData("mmap_disable = yes", "mmap_disable = yes\nservice imap-login {\n  inet_listener clash {\n    port = 22\n  }\n}", "restart (previous files restored, dovecot restarted)", "Address already in use")]
    public async Task A_change_that_breaks_dovecot_is_rolled_back_and_the_previous_config_serves_again(string from, string to, string step, string message)
    {
        var (host, specs) = await StartAsync();
        await using var _ = host;
        using var __ = specs;
        Assert.Equal(0, (await Run(specs, "apply", "--yes")).ExitCode);
        var before = (await host.ExecAsync($"sha256sum {Files}")).Stdout;

        specs.Write("mail/dovecot.yaml", Spec(LocalConf.Replace(from, to)));
        var apply = await Run(specs, "apply", "--yes");

        Assert.True(apply.ExitCode == 1, apply.ToString());
        Assert.Contains($"dovecot transaction: {step} failed", apply.Stdout);
        Assert.Contains(message, apply.Stdout);
        AssertNoSecret(apply);
        Assert.Equal(before, (await host.ExecAsync($"sha256sum {Files}")).Stdout);
        Assert.Contains("a OK", (await host.ExecAsync(ImapLogin(Password))).Stdout);
        Assert.Equal(0, (await host.ExecAsync("test -S /var/spool/postfix/private/auth")).ExitCode);

        var plan = await Run(specs, "plan");
        Assert.Contains("dovecot_file[/etc/dovecot/local.conf]", plan.Stdout);
    }

    /// <summary>The test's own IMAP LOGIN (the password on this command line is the test's, inside its container).</summary>
    private static string ImapLogin(string password) =>
        "perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(PeerAddr => \"127.0.0.1:143\", Timeout => 5) or die; alarm 20; " +
        "<$s>; print $s qq(a LOGIN alice\\@example.test \"$ARGV[0]\"\\r\\n); while (<$s>) { print; last if /^a / }' " +
        "'" + password.Replace("\"", "\\\"") + "'";
}
