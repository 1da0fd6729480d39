using Reconciler.Core.Shell;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests.Attacker;

/// <summary>
/// A pull-request author chooses which tables and rows a plan reads (issue 15, item 5), against a real MariaDB
/// (reconciler/host-mail:1). Classes: rows the spec does not declare (the "dummy row" on an exclusive table: only a
/// count and keyed digests, in every format and in the saved plan), live values of declared cells in columns not
/// public (compared, never shown), tables and accounts the maintainers' inventory does not list (refused at validate), and the
/// honest exclusive table (apply deletes exactly the rows the plan committed to, and refuses when the set changed).
/// </summary>
public sealed class MariaDbDisclosureTests
{
    private const string MailImage = "reconciler/host-mail:1";

    /// <summary>Application data nobody declares: what the attacker wants to read through the plan.</summary>
    private static readonly string[] OtherRows = ["cust-alpha", "cust-bravo", "cust-charlie", "alpha@corp.example", "bravo@corp.example", "charlie@corp.example", "Alpha Smith"];

    private const string Customers =
        "CREATE DATABASE app; " +
        "CREATE TABLE app.customers (id varchar(64) PRIMARY KEY, email varchar(255) NOT NULL, name varchar(255) NOT NULL DEFAULT ''); " +
        "INSERT INTO app.customers VALUES ('cust-alpha', 'alpha@corp.example', 'Alpha Smith'), ('cust-bravo', 'bravo@corp.example', ''), " +
        "('cust-charlie', 'charlie@corp.example', '');";

    private static async Task<string> Sql(DebianHost host, string sql) =>
        (await host.ExecAsync($"mysql --protocol=socket -N -B -e {Sh.Quote(sql)} 2>&1")).Stdout.Trim();

    private static async Task<(DebianHost Host, SpecsWorkspace Specs)> GivenAsync(params string[] manage)
    {
        var host = await DebianHost.StartAsync(image: MailImage);
        Assert.Equal("", await Sql(host, Customers));
        var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("mail1", host, DebianHost.RootUser, "mail")], mariaDbManage: manage);
        return (host, specs);
    }

    [Fact]
    public async Task A_dummy_row_on_an_exclusive_table_shows_no_cell_or_key_of_other_rows_in_any_format_or_the_saved_plan()
    {
        var (host, specs) = await GivenAsync("app.customers");
        await using var _ = host;
        using var __ = specs;
        // The attacker even marks every column public: that covers declared rows only.
        specs.Write("app.yaml", """
            kind: resources
            target: { host: mail1 }
            mariadb:
              tables:
                - database: app
                  name: customers
                  columns: { id: varchar(64) NOT NULL, email: varchar(255) NOT NULL, name: varchar(255) NOT NULL DEFAULT '' }
                  primary_key: [id]
                  public_columns: [id, email, name]
                  exclusive: true
                  rows:
                    - { id: dummy, email: x }
            """);

        var planFile = Path.Combine(specs.Directory, "plan.json");
        var text = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        var markdown = await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--format", "markdown");
        var json = await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--format", "json", "--out", planFile);

        Assert.True(text.ExitCode == 2, text.ToString());
        Assert.Matches(@"row #[0-9a-f]{12}: present → deleted", text.Stdout);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(text.Stdout, @"row #[0-9a-f]{12}: present → deleted").Count);
        Assert.Contains("3 row(s) the spec does not declare would be deleted", text.Stdout);
        var everything = string.Join("\n", text, markdown, json, File.ReadAllText(planFile));
        foreach (var leaked in OtherRows)
        {
            Assert.DoesNotContain(leaked, everything);
        }

        // Nothing was changed by planning.
        Assert.Equal("3", await Sql(host, "SELECT COUNT(*) FROM app.customers"));
    }

    [Fact]
    public async Task A_declared_cell_of_a_column_not_public_is_compared_but_its_live_value_never_shown()
    {
        var (host, specs) = await GivenAsync("app.customers");
        await using var _ = host;
        using var __ = specs;
        // The attacker knows one key and declares that row with a wrong email, hoping the plan prints the live one.
        specs.Write("app.yaml", """
            kind: resources
            target: { host: mail1 }
            mariadb:
              tables:
                - database: app
                  name: customers
                  columns: { id: varchar(64) NOT NULL, email: varchar(255) NOT NULL, name: varchar(255) NOT NULL DEFAULT '' }
                  primary_key: [id]
                  public_columns: [name]
                  rows:
                    - { id: cust-alpha, email: guess@corp.example, name: Alpha Smith }
            """);

        var planFile = Path.Combine(specs.Directory, "plan.json");
        var text = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        var json = await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--format", "json", "--out", planFile);

        Assert.True(text.ExitCode == 2, text.ToString());
        Assert.Contains("row cust-alpha email: (not shown: email is not a public column; value differs) → guess@corp.example", text.Stdout);
        Assert.DoesNotContain("row cust-alpha name", text.Stdout);
        foreach (var leaked in new[] { "alpha@corp.example", "bravo", "charlie" })
        {
            Assert.DoesNotContain(leaked, string.Join("\n", text, json, File.ReadAllText(planFile)));
        }
    }

    [Fact]
    public async Task A_table_the_inventory_does_not_list_is_refused_at_validate_and_no_host_is_read()
    {
        var (host, specs) = await GivenAsync("postfix.*");
        await using var _ = host;
        using var __ = specs;
        specs.Write("app.yaml", """
            kind: resources
            target: { host: mail1 }
            mariadb:
              tables:
                - database: app
                  name: customers
                  columns: { id: varchar(64) NOT NULL }
                  primary_key: [id]
                  exclusive: true
                  rows: [ { id: dummy } ]
            """);

        var validate = await CliRun.ExecAsync("validate", "--specs", specs.Directory);
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);

        Assert.Equal(1, validate.ExitCode);
        Assert.Matches(@"app\.yaml:5:7: error RC3019: mariadb_table\[app\.customers\]: app\.customers is not in mariadb\.manage of the inventory \([^)]*inventory\.yaml\) for host 'mail1'", validate.Stdout + validate.Stderr);
        Assert.Equal(1, plan.ExitCode);
        Assert.Equal(0, plan.Traffic.Connections);
        foreach (var leaked in OtherRows)
        {
            Assert.DoesNotContain(leaked, validate.ToString() + plan);
        }
    }

    /// <summary>
    /// Class: accounts the spec chooses. A declared user's password is compared in every plan ("password changed" or no
    /// change: one guess per plan), create vs update tells which accounts exist, and apply after merge sets the
    /// password. An account the inventory does not list as user:NAME@HOST is refused before any host is read.
    /// </summary>
    [Fact]
    public async Task An_account_the_inventory_does_not_list_is_refused_at_validate_and_neither_plan_nor_apply_touches_the_host()
    {
        var (host, specs) = await GivenAsync("postfix.*", "user:postfix@localhost");
        await using var _ = host;
        using var __ = specs;
        const string guess = "guessed-root-pw-3141";
        specs.Write("root.yaml", $$"""
            kind: resources
            target: { host: mail1 }
            mariadb:
              users:
                - name: root
                  host: localhost
                  password: {{guess}}
            """);
        var rootBefore = await Sql(host, "SELECT Priv FROM mysql.global_priv WHERE User = 'root' ORDER BY Host");
        Assert.NotEqual("", rootBefore);

        var validate = await CliRun.ExecAsync("validate", "--specs", specs.Directory);
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);

        Assert.Equal(1, validate.ExitCode);
        Assert.Matches(@"root\.yaml:5:7: error RC3019: mariadb_user\[root@localhost\]: user:root@localhost is not in mariadb\.manage of the inventory \([^)]*inventory\.yaml\) for host 'mail1'", validate.Stdout + validate.Stderr);
        foreach (var run in new[] { plan, apply })
        {
            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Equal(0, run.Traffic.Connections);
            Assert.Contains("error RC3019: mariadb_user[root@localhost]", run.Stdout + run.Stderr);
            Assert.DoesNotContain("password", run.Stdout);
        }

        Assert.DoesNotContain(guess, validate.ToString() + plan + apply);
        Assert.Equal(rootBefore, await Sql(host, "SELECT Priv FROM mysql.global_priv WHERE User = 'root' ORDER BY Host"));
    }

    [Fact]
    public async Task An_honest_exclusive_table_applies_exactly_the_planned_deletes_refuses_a_changed_set_and_replans_clean()
    {
        var (host, specs) = await GivenAsync("app.*");
        await using var _ = host;
        using var __ = specs;
        specs.Write("app.yaml", """
            kind: resources
            target: { host: mail1 }
            mariadb:
              tables:
                - database: app
                  name: customers
                  columns: { id: varchar(64) NOT NULL, email: varchar(255) NOT NULL, name: varchar(255) NOT NULL DEFAULT '' }
                  primary_key: [id]
                  public_columns: [email]
                  exclusive: true
                  rows:
                    - { id: cust-alpha, email: alpha@corp.example }
            """);
        var planFile = Path.Combine(specs.Directory, "plan.json");

        // Given a saved plan deleting bravo and charlie, when a row arrives before apply, the plan no longer holds.
        Assert.Equal(2, (await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--format", "json", "--out", planFile)).ExitCode);
        await Sql(host, "INSERT INTO app.customers (id, email) VALUES ('cust-delta', 'delta@corp.example')");
        var stale = await CliRun.ExecAsync("apply", "--specs", specs.Directory, "--plan", planFile);
        Assert.True(stale.ExitCode == 1, stale.ToString());
        Assert.Contains("re-plan: mariadb_rows[app.customers] changed on mail1 since the plan", stale.Stdout + stale.Stderr);
        Assert.Equal("4", await Sql(host, "SELECT COUNT(*) FROM app.customers"));

        // When it is planned again and applied, exactly the three rows the plan named go, and the declared one stays.
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--format", "json", "--out", planFile);
        Assert.Equal(2, plan.ExitCode);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(planFile), "row #[0-9a-f]{12}").Count);
        var apply = await CliRun.ExecAsync("apply", "--specs", specs.Directory, "--plan", planFile);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal("cust-alpha\talpha@corp.example\tAlpha Smith", await Sql(host, "SELECT id, email, name FROM app.customers"));

        // Then it plans clean.
        var again = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("mail1: no changes", again.Stdout);
    }
}
