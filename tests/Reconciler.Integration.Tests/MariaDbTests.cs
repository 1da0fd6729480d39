using System.Security.Cryptography;
using Reconciler.Core.Resources.MariaDb;
using Reconciler.Core.Secrets;
using Reconciler.Core.Shell;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>
/// mariadb_database, mariadb_user, mariadb_table and mariadb_rows against a real MariaDB (reconciler/host-mail:1, started by
/// its init script): apply on a blank server, hand edits found by drift and put back, a changed password, and a
/// server that is down. Secrets are fresh per run and full of quoting traps; no output may show one or its hash.
/// </summary>
public sealed class MariaDbTests
{
    private const string MailImage = "reconciler/host-mail:1";

    // Quotes, a dollar and a backslash: a password that would break any unquoted shell or SQL on its way.
    private static string NewPassword() => "p'w$\"\\" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));

    private readonly Dictionary<string, string> _secrets = new()
    {
        ["db_password"] = NewPassword(),
        ["alice_password"] = NewPassword(),
        ["bob_password"] = NewPassword(),
    };

    private readonly List<CliRun> _runs = [];

    private const string Spec = """
        kind: resources
        target: { host: mail1 }
        mariadb:
          databases:
            - name: postfix
              charset: utf8mb4
          users:
            - name: postfix
              password: { secret: db_password }
              grants:
                - on: postfix.*
                  privileges: [SELECT]
          tables:
            - database: postfix
              name: domain
              columns:
                domain: varchar(255) NOT NULL
                active: tinyint(1) NOT NULL DEFAULT 1
              primary_key: [domain]
              rows:
                - { domain: example.test, active: 1 }
            - database: postfix
              name: mailbox
              columns:
                username: varchar(255) NOT NULL
                password: varchar(255) NOT NULL
                maildir: varchar(255) NOT NULL
                quota: bigint NULL
                active: tinyint(1) NOT NULL DEFAULT 1
              primary_key: [username]
              public_columns: [maildir, quota, active]
              exclusive: true
              rows:
                - username: alice@example.test
                  password: { secret: alice_password, scheme: SSHA512 }
                  maildir: example.test/alice/
                  quota: null
                  active: 1
                - username: bob@example.test
                  password: { secret: bob_password, scheme: SSHA512 }
                  maildir: example.test/bob/
                  active: 1
        """;

    private async Task<CliRun> Cli(SpecsWorkspace specs, params string[] command)
    {
        var environment = _secrets.ToDictionary(s => SecretStore.EnvironmentVariableFor(s.Key), s => s.Value);
        var run = await CliRun.ExecWithEnvironmentAsync(environment, [.. command, "--specs", specs.Directory]);
        _runs.Add(run);
        return run;
    }

    private static async Task<string> Sql(DebianHost host, string sql, string? user = null, string? password = null)
    {
        var login = user is null ? "" : $"MYSQL_PWD={Sh.Quote(password!)} ";
        var result = await host.ExecAsync($"{login}mysql --protocol=socket -N -B {(user is null ? "" : "-u " + user)} -e {Sh.Quote(sql)} 2>&1");
        return result.Stdout.Trim();
    }

    [Fact]
    public async Task Apply_on_a_blank_server_converges_hand_edits_are_drift_and_no_secret_is_ever_printed()
    {
        await using var host = await DebianHost.StartAsync(image: MailImage);
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("mail1", host, DebianHost.RootUser, "web")], mariaDbManage: ["postfix.*", "user:postfix@localhost"]);
        specs.Write("mail/mariadb.yaml", Spec);

        // Given a blank server, the plan creates everything, in order.
        var plan = await Cli(specs, "plan");
        Assert.True(plan.ExitCode == 2, plan.ToString());
        var order = new[] { "mariadb_database[postfix]", "mariadb_table[postfix.domain]", "mariadb_table[postfix.mailbox]", "mariadb_user[postfix@localhost]", "mariadb_rows[postfix.mailbox]" }
            .Select(a => plan.Stdout.IndexOf("+ " + a, StringComparison.Ordinal)).ToList();
        Assert.True(order.All(i => i >= 0) && order.SequenceEqual(order.Order()), plan.Stdout);
        Assert.Contains("row alice@example.test: (unset) → created (password: (sensitive), maildir: example.test/alice/, quota: NULL, active: 1)", plan.Stdout);
        Assert.Contains("password: (sensitive value changed)", plan.Stdout);

        // When it is applied, the user logs in with its password and reads (only reads) the rows; the mailbox hashes are Dovecot's.
        var apply = await Cli(specs, "apply", "--yes");
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal("alice@example.test\texample.test/alice/\tNULL\t1\nbob@example.test\texample.test/bob/\tNULL\t1",
            await Sql(host, "SELECT username, maildir, quota, active FROM postfix.mailbox ORDER BY username", "postfix", _secrets["db_password"]));
        Assert.Equal("example.test", await Sql(host, "SELECT domain FROM postfix.domain", "postfix", _secrets["db_password"]));
        Assert.Contains("INSERT command denied", await Sql(host, "INSERT INTO postfix.domain (domain) VALUES ('x')", "postfix", _secrets["db_password"]));
        Assert.Contains("Access denied", await Sql(host, "SELECT 1", "postfix", "wrong password"));
        var aliceHash = await Sql(host, "SELECT password FROM postfix.mailbox WHERE username = 'alice@example.test'");
        Assert.StartsWith(PasswordHashes.Ssha512Prefix, aliceHash);
        Assert.Contains("(verified)", (await host.ExecAsync($"doveadm pw -t {Sh.Quote(aliceHash)} -p {Sh.Quote(_secrets["alice_password"])}")).Stdout);
        Assert.Equal("utf8mb4", await Sql(host, "SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'postfix'"));

        // Then planning again finds nothing to do: the salted hashes are verified, not rehashed.
        var again = await Cli(specs, "plan");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("mail1: no changes", again.Stdout);

        // When rows are changed by hand (one deleted, one edited, one added), drift shows each.
        await Sql(host, "DELETE FROM postfix.mailbox WHERE username = 'bob@example.test'; " +
                        "UPDATE postfix.mailbox SET maildir = 'elsewhere/', password = 'plain' WHERE username = 'alice@example.test'; " +
                        "INSERT INTO postfix.mailbox (username, password, maildir) VALUES ('mallory@example.test', 'x', 'example.test/mallory/'); " +
                        "INSERT INTO postfix.domain (domain) VALUES ('undeclared.test')");
        var drift = await Cli(specs, "drift");
        Assert.True(drift.ExitCode == 2, drift.ToString());
        Assert.Contains("mariadb_rows[postfix.mailbox]", drift.Stdout);
        Assert.DoesNotContain("mariadb_rows[postfix.domain]", drift.Stdout);
        var driftPlan = await Cli(specs, "plan");
        Assert.Contains("row bob@example.test: (unset) → created", driftPlan.Stdout);
        Assert.Contains("row alice@example.test maildir: elsewhere/ → example.test/alice/", driftPlan.Stdout);
        Assert.Contains("row alice@example.test password: (sensitive value changed)", driftPlan.Stdout);
        Assert.Matches(@"row #[0-9a-f]{12}: present → deleted", driftPlan.Stdout);
        Assert.DoesNotContain("mallory", driftPlan.Stdout);

        // Then apply puts them back; the non-exclusive table keeps its undeclared row.
        var repair = await Cli(specs, "apply", "--yes");
        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.Equal("alice@example.test\texample.test/alice/\nbob@example.test\texample.test/bob/",
            await Sql(host, "SELECT username, maildir FROM postfix.mailbox ORDER BY username"));
        Assert.Equal("example.test\nundeclared.test", await Sql(host, "SELECT domain FROM postfix.domain ORDER BY domain"));

        // When the database password changes, the user is altered by hash and the old password stops working.
        var old = _secrets["db_password"];
        _secrets["db_password"] = NewPassword();
        var change = await Cli(specs, "apply", "--yes");
        Assert.True(change.ExitCode == 0, change.ToString());
        Assert.Contains("mariadb_user[postfix@localhost]", change.Stdout);
        Assert.Equal("1", await Sql(host, "SELECT 1", "postfix", _secrets["db_password"]));
        Assert.Contains("Access denied", await Sql(host, "SELECT 1", "postfix", old));
        Assert.Contains("mail1: no changes", (await Cli(specs, "plan")).Stdout);

        AssertNoSecretPrinted(old, aliceHash);
    }

    [Fact]
    public async Task A_host_whose_MariaDB_is_down_is_blocked_with_the_reason_and_nothing_else_fails()
    {
        await using var host = await DebianHost.StartAsync(image: MailImage);
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("mail1", host, DebianHost.RootUser, "web")], mariaDbManage: ["postfix.*", "user:postfix@localhost"]);
        specs.Write("mail/mariadb.yaml", Spec);
        await host.ExecAsync("/etc/init.d/mariadb stop");

        var plan = await Cli(specs, "plan");

        Assert.True(plan.ExitCode == 1, plan.ToString());
        Assert.Contains("! mariadb_database[postfix]", plan.Stdout);
        Assert.Contains("cannot read MariaDB as root through its socket: ERROR 2002 (HY000)", plan.Stdout);
        AssertNoSecretPrinted();
    }

    private void AssertNoSecretPrinted(params string[] more)
    {
        var secrets = _secrets.Values.Concat(more).ToList();
        secrets.AddRange(_secrets.Values.Concat(more).Select(PasswordHashes.Native));
        foreach (var run in _runs)
        {
            foreach (var secret in secrets)
            {
                Assert.False(run.Stdout.Contains(secret, StringComparison.Ordinal) || run.Stderr.Contains(secret, StringComparison.Ordinal),
                    $"a secret or its hash was printed:\n{run}");
            }

            Assert.DoesNotContain(PasswordHashes.Ssha512Prefix, run.Stdout + run.Stderr);
        }
    }
}
