using Reconciler.Core.Secrets;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>
/// postfix_map against a real postfix and MariaDB (reconciler/host-mail:1): the seed's three mysql_virtual_*_maps.cf
/// applied with the main.cf parameters that name them, answered by postmap from the live files; a map postmap cannot
/// query is rejected before anything is swapped in; the database password never reaches the CLI's output.
/// </summary>
public sealed class PostfixMapTests
{
    private const string MailImage = "reconciler/host-mail:1";

    private const string DbPassword = "Db-pw-4f1c9e7a-map";

    private static readonly Dictionary<string, string> Secrets = new() { [SecretStore.EnvironmentVariableFor("mail_db_password")] = DbPassword };

    private const string Maps = "/etc/postfix/mysql_virtual_alias_maps.cf /etc/postfix/mysql_virtual_domains_maps.cf /etc/postfix/mysql_virtual_mailbox_maps.cf";

    private const string Sums = "sha256sum /etc/postfix/main.cf /etc/postfix/master.cf " + Maps + " 2>&1";

    /// <summary>The seed's tables, made by hand (the MariaDB resources are not needed for this), and a read-only user.</summary>
    private static async Task CreateDatabaseAsync(DebianHost host)
    {
        var result = await host.ExecAsync($$"""
            mysql <<'SQL'
            CREATE DATABASE postfix;
            CREATE USER 'postfix'@'localhost' IDENTIFIED BY '{{DbPassword}}';
            CREATE USER 'postfix'@'127.0.0.1' IDENTIFIED BY '{{DbPassword}}';
            GRANT SELECT ON postfix.* TO 'postfix'@'localhost';
            GRANT SELECT ON postfix.* TO 'postfix'@'127.0.0.1';
            USE postfix;
            CREATE TABLE alias (address VARCHAR(255) PRIMARY KEY, goto TEXT NOT NULL, active CHAR(1) NOT NULL DEFAULT '1');
            CREATE TABLE domain (domain VARCHAR(255) PRIMARY KEY, active CHAR(1) NOT NULL DEFAULT '1');
            CREATE TABLE mailbox (username VARCHAR(255) PRIMARY KEY, maildir VARCHAR(255) NOT NULL, active CHAR(1) NOT NULL DEFAULT '1');
            INSERT INTO alias VALUES ('postmaster@example.test', 'alice@example.test', '1');
            INSERT INTO domain VALUES ('example.test', '1'), ('retired.test', '0');
            INSERT INTO mailbox VALUES ('alice@example.test', 'example.test/alice/', '1');
            SQL
            """);
        Assert.True(result.ExitCode == 0, result.Stderr);
    }

    private static string Spec(string aliasTable = "alias") => $$"""
        kind: resources
        target: { host: mail1 }
        postfix:
          main:
            virtual_alias_maps: mysql:/etc/postfix/mysql_virtual_alias_maps.cf
            virtual_mailbox_domains: mysql:/etc/postfix/mysql_virtual_domains_maps.cf
            virtual_mailbox_maps: mysql:/etc/postfix/mysql_virtual_mailbox_maps.cf
          maps:
            - name: mysql_virtual_alias_maps.cf
              type: mysql
              hosts: 127.0.0.1
              user: postfix
              password: { secret: mail_db_password }
              dbname: postfix
              table: {{aliasTable}}
              select_field: goto
              where_field: address
              probe: { key: postmaster@example.test, expect: alice@example.test }
            - name: mysql_virtual_domains_maps.cf
              type: mysql
              hosts: 127.0.0.1
              user: postfix
              password: { secret: mail_db_password }
              dbname: postfix
              table: domain
              select_field: domain
              where_field: domain
              additional_conditions: and active = '1'
              probe: { key: example.test }
            - name: mysql_virtual_mailbox_maps.cf
              type: mysql
              hosts: unix:/run/mysqld/mysqld.sock
              user: postfix
              password: { secret: mail_db_password }
              dbname: postfix
              table: mailbox
              select_field: maildir
              where_field: username
        """;

    private static async Task<CliRun> RunAsync(params string[] args)
    {
        var run = await CliRun.ExecWithEnvironmentAsync(Secrets, args);
        // Not even masked: nothing that holds the password is ever printed, so the redactor has nothing to hide.
        Assert.DoesNotContain(DbPassword, run.Stdout + run.Stderr);
        Assert.DoesNotContain("(sensitive value)", run.Stdout + run.Stderr);
        return run;
    }

    private static async Task<string> LookUpAsync(DebianHost host, string key, string map, string user = "root") =>
        (await host.ExecAsync($"runuser -u {user} -- /usr/sbin/postmap -q '{key}' mysql:/etc/postfix/{map} 2>&1; echo \"exit $?\"")).Stdout.Trim();

    [Fact]
    public async Task The_seed_maps_apply_with_main_cf_answer_postmap_and_converge()
    {
        // Given a database and no map files
        await using var host = await DebianHost.StartAsync(image: MailImage);
        await CreateDatabaseAsync(host);
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("mail1", host, DebianHost.RootUser, "web")]);
        specs.Write("mail/postfix.yaml", Spec());

        // When planned, each map is a create whose password is only a sensitive attribute
        var plan = await RunAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("postfix_map[mysql_virtual_alias_maps.cf]", plan.Stdout);
        Assert.Contains("password: (sensitive value changed)", plan.Stdout);
        Assert.Contains("table: (unset) → alias", plan.Stdout);

        // Then applied, postfix's own daemons (as user postfix) get answers from the live files
        var apply = await RunAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal("alice@example.test\nexit 0", await LookUpAsync(host, "postmaster@example.test", "mysql_virtual_alias_maps.cf", "postfix"));
        Assert.Equal("example.test\nexit 0", await LookUpAsync(host, "example.test", "mysql_virtual_domains_maps.cf", "postfix"));
        Assert.Equal("exit 1", await LookUpAsync(host, "retired.test", "mysql_virtual_domains_maps.cf", "postfix"));
        Assert.Equal("example.test/alice/\nexit 0", await LookUpAsync(host, "alice@example.test", "mysql_virtual_mailbox_maps.cf", "postfix"));
        Assert.Equal("640 root postfix", (await host.ExecAsync("stat -c '%a %U %G' /etc/postfix/mysql_virtual_alias_maps.cf")).Stdout.Trim());
        Assert.Equal("mysql:/etc/postfix/mysql_virtual_alias_maps.cf", (await host.ExecAsync("postconf -h virtual_alias_maps")).Stdout.Trim());
        Assert.Equal("", (await host.ExecAsync("postconf -n 2>&1 >/dev/null")).Stdout);
        Assert.Contains("220 ", (await host.ExecAsync(BannerProbe)).Stdout);
        Assert.Equal("", (await host.ExecAsync("ls -d /etc/.reconciler-postfix.* 2>/dev/null")).Stdout);

        var again = await RunAsync("plan", "--specs", specs.Directory);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("mail1: no changes", again.Stdout);

        // And a password changed by hand is drift that names the map, never the password
        await host.ExecAsync("sed -i 's/^password = .*/password = hand-edited-pw-93/' /etc/postfix/mysql_virtual_mailbox_maps.cf");
        var drift = await RunAsync("plan", "--specs", specs.Directory);
        Assert.True(drift.ExitCode == 2, drift.ToString());
        Assert.Contains("postfix_map[mysql_virtual_mailbox_maps.cf]", drift.Stdout);
        Assert.Contains("password: (sensitive value changed)", drift.Stdout);
        Assert.DoesNotContain("hand-edited-pw-93", drift.Stdout + drift.Stderr);
    }

    [Fact]
    public async Task A_map_postmap_cannot_query_is_rejected_and_every_file_stays_byte_identical()
    {
        await using var host = await DebianHost.StartAsync(image: MailImage);
        await CreateDatabaseAsync(host);
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("mail1", host, DebianHost.RootUser, "web")]);

        // Given no maps yet, a first apply naming a missing table creates nothing
        specs.Write("mail/postfix.yaml", Spec(aliasTable: "aliasx"));
        var mainBefore = (await host.ExecAsync("sha256sum /etc/postfix/main.cf")).Stdout;
        var first = await RunAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(first.ExitCode == 1, first.ToString());
        Assert.Contains("validation (postmap)", first.Stdout + first.Stderr);
        Assert.Contains("Table 'postfix.aliasx' doesn't exist", first.Stdout + first.Stderr);
        Assert.Equal(mainBefore, (await host.ExecAsync("sha256sum /etc/postfix/main.cf")).Stdout);
        Assert.Equal("", (await host.ExecAsync("ls /etc/postfix/mysql_virtual_* 2>/dev/null")).Stdout);

        // Given the maps in place
        specs.Write("mail/postfix.yaml", Spec());
        var good = await RunAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(good.ExitCode == 0, good.ToString());
        var before = (await host.ExecAsync(Sums)).Stdout;

        // When a change points the alias map at a missing table
        specs.Write("mail/postfix.yaml", Spec(aliasTable: "aliasx"));
        var plan = await RunAsync("plan", "--specs", specs.Directory);
        // The map is 0640 root:postfix: no local user could read the live value, so the plan does not show it.
        Assert.Contains("table: (not shown: /etc/postfix/mysql_virtual_alias_maps.cf is not world-readable (640 root:postfix); value differs) → aliasx", plan.Stdout);
        var apply = await RunAsync("apply", "--yes", "--specs", specs.Directory);

        // Then it is rejected at validation with MariaDB's own words, and nothing changed
        Assert.True(apply.ExitCode == 1, apply.ToString());
        Assert.Contains("validation (postmap)", apply.Stdout + apply.Stderr);
        Assert.Contains("mysql_virtual_alias_maps.cf (staged): postmap -q postmaster@example.test", apply.Stdout + apply.Stderr);
        Assert.Contains("Table 'postfix.aliasx' doesn't exist", apply.Stdout + apply.Stderr);
        Assert.Equal(before, (await host.ExecAsync(Sums)).Stdout);
        Assert.Equal("alice@example.test\nexit 0", await LookUpAsync(host, "postmaster@example.test", "mysql_virtual_alias_maps.cf"));
        Assert.Contains("220 ", (await host.ExecAsync(BannerProbe)).Stdout);
    }

    [Fact]
    public async Task A_main_cf_value_naming_a_map_nobody_declares_is_blocked()
    {
        await using var host = await DebianHost.StartAsync(image: MailImage);
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("mail1", host, DebianHost.RootUser, "web")]);
        specs.Write("mail/postfix.yaml", """
            kind: resources
            target: { host: mail1 }
            postfix:
              main:
                virtual_alias_maps: mysql:/etc/postfix/nosuch.cf
            """);

        var plan = await RunAsync("plan", "--specs", specs.Directory);

        Assert.Contains("postfix_main[virtual_alias_maps]", plan.Stdout);
        Assert.Contains("would name mysql:/etc/postfix/nosuch.cf, which is not on this host and not declared as a postfix_map", plan.Stdout);
    }

    private const string BannerProbe =
        "perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(PeerAddr => \"127.0.0.1:25\", Timeout => 5) or die; alarm 10; print scalar <$s>'";
}
