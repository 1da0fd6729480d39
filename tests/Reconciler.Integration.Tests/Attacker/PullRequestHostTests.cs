using LibGit2Sharp;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests.Attacker;

/// <summary>
/// Issue 15, item 6 — the class "a pull request makes the plan job connect where maintainers never said": a host the
/// change adds, or an existing host whose connection details (here its address) the change rewrites. The plan of the
/// change makes no connection at all to it — the transport counts none and the real container's sshd logs nothing —
/// and shows its desired state as creates marked "not contacted"; the approving flag (the label's run) contacts it.
/// </summary>
public sealed class PullRequestHostTests
{
    private static readonly Signature Author = new("Test", "test@example.org", DateTimeOffset.UnixEpoch);

    private static string Commit(SpecsWorkspace specs, string message)
    {
        if (!Repository.IsValid(specs.Directory)) Repository.Init(specs.Directory);
        using var repo = new Repository(specs.Directory);
        Commands.Stage(repo, "*");
        return repo.Commit(message, Author, Author).Sha;
    }

    /// <summary>The base: web1 on the container, with the hardening slice; committed.</summary>
    private static async Task<(SpecsWorkspace Specs, string Base, string Inventory)> BaseAsync(DebianHost host)
    {
        var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        HardeningSpec.WriteTo(specs);
        var inventory = await File.ReadAllTextAsync(Path.Combine(specs.Directory, "inventory.yaml"));
        return (specs, Commit(specs, "base"), inventory);
    }

    private static Task<CliRun> PlanAsync(SpecsWorkspace specs, string baseCommit, string head, params string[] extra) =>
        CliRun.ExecAsync(["plan", "--repo", specs.Directory, "--specs", ".", "--base", baseCommit, "--head", head, .. extra]);

    [Fact]
    public async Task A_host_the_pull_request_adds_is_not_contacted_until_approved_and_its_desired_state_shows_as_creates()
    {
        await using var host = await DebianHost.StartAsync();
        var (specs, baseCommit, inventory) = await BaseAsync(host);
        using var _ = specs;
        // The pull request adds web2, pointing at the same real container under another name.
        var added = inventory[inventory.IndexOf("  web1:", StringComparison.Ordinal)..].Replace("  web1:", "  web2:", StringComparison.Ordinal);
        specs.Write("inventory.yaml", inventory + added);
        var head = Commit(specs, "add web2");
        var sshdLogBefore = await host.LogsAsync();

        var text = await PlanAsync(specs, baseCommit, head);
        var json = await PlanAsync(specs, baseCommit, head, "--format", "json");
        var markdown = await PlanAsync(specs, baseCommit, head, "--format", "markdown");

        Assert.True(text.ExitCode == 2, text.ToString());
        Assert.Equal(0, text.Traffic.Connections + json.Traffic.Connections + markdown.Traffic.Connections);
        Assert.Equal(sshdLogBefore, await host.LogsAsync());
        Assert.Contains("web2: not contacted: a host this change adds (not in the base's inventory)", text.Stdout);
        Assert.Contains("+ file[/etc/shadow]  not contacted", text.Stdout);
        Assert.Contains("+ sysctl[net.ipv4.tcp_syncookies]  not contacted", text.Stdout);
        Assert.Contains(": web2 (added). Not planned: 1 unchanged host(s)", text.Stdout);
        Assert.Contains("\"status\": \"not_contacted\"", json.Stdout);
        Assert.Contains("\"not_contacted\": \"a host this change adds", json.Stdout);
        Assert.DoesNotContain("\"action\": \"update\"", json.Stdout);
        Assert.Contains("🔒 not contacted", markdown.Stdout);

        var approved = await PlanAsync(specs, baseCommit, head, "--contact-new-hosts");

        Assert.True(approved.ExitCode == 2, approved.ToString());
        Assert.Equal(1, approved.Traffic.Connections);
        Assert.DoesNotContain("not contacted", approved.Stdout);
        Assert.Contains("Accepted publickey", (await host.LogsAsync())[sshdLogBefore.Length..]);
    }

    [Fact]
    public async Task A_host_whose_address_the_pull_request_changes_is_not_contacted_and_apply_refuses_its_saved_plan()
    {
        await using var host = await DebianHost.StartAsync();
        var (specs, baseCommit, inventory) = await BaseAsync(host);
        using var _ = specs;
        // Same host, another address (here still the test's own loopback): where the controller connects has changed.
        specs.Write("inventory.yaml", inventory.Replace($"address: {host.Address}", "address: localhost", StringComparison.Ordinal));
        var head = Commit(specs, "move web1");
        var sshdLogBefore = await host.LogsAsync();
        var shadowBefore = (await host.ExecAsync("stat -c %a /etc/shadow")).Stdout;
        var planFile = Path.Combine(Path.GetTempPath(), $"reconciler-plan-{Guid.NewGuid():N}.json");
        try
        {
            var plan = await PlanAsync(specs, baseCommit, head, "--format", "json", "--out", planFile);

            Assert.True(plan.ExitCode == 2, plan.ToString());
            Assert.Equal(0, plan.Traffic.Connections);
            Assert.Equal(sshdLogBefore, await host.LogsAsync());
            Assert.Contains("\"not_contacted\": \"this change sets address of the host to values not in the base's inventory", await File.ReadAllTextAsync(planFile));

            // Merged, the host is trusted; the saved plan of it was never a reading of the host, so it is not applied.
            var apply = await CliRun.ExecAsync("apply", "--repo", specs.Directory, "--specs", ".", "--plan", planFile);
            Assert.True(apply.ExitCode == 1, apply.ToString());
            Assert.Contains("re-plan: web1 was not contacted when the plan was made", apply.Stdout + apply.Stderr);
            Assert.Equal(shadowBefore, (await host.ExecAsync("stat -c %a /etc/shadow")).Stdout);
        }
        finally
        {
            File.Delete(planFile);
        }
    }

    [Fact]
    public async Task A_pull_request_that_widens_mariadb_manage_in_its_own_inventory_is_refused_by_the_bases()
    {
        await using var host = await DebianHost.StartAsync();
        var (specs, baseCommit, _) = await BaseAsync(host);
        using var _ = specs;
        // The pull request grants itself an application table and declares it (one dummy row: the disclosure attack).
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")], mariaDbManage: ["app.customers"]);
        specs.Write("db.yaml", """
            kind: resources
            target: { host: web1 }
            mariadb:
              tables:
                - database: app
                  name: customers
                  columns: { id: int NOT NULL, email: varchar(200) }
                  primary_key: [id]
                  exclusive: true
                  rows:
                    - { id: 1, email: x }
            """);
        var head = Commit(specs, "grant and declare app.customers");

        var plan = await PlanAsync(specs, baseCommit, head);
        var validate = await CliRun.ExecAsync("validate", "--specs", specs.Directory);

        Assert.True(plan.ExitCode == 1, plan.ToString());
        Assert.Equal(0, plan.Traffic.Connections);
        Assert.Contains("error RC3019: mariadb_table[app.customers]", plan.Stdout + plan.Stderr);
        Assert.Contains("is not in mariadb.manage of the inventory", plan.Stdout + plan.Stderr);
        // Without a base (a directory, a merged commit) the specs' own inventory is the reviewed one.
        Assert.True(validate.ExitCode == 0, validate.ToString());
    }

    [Fact]
    public async Task A_pull_request_that_lists_an_account_in_its_own_inventory_is_refused_by_the_bases()
    {
        await using var host = await DebianHost.StartAsync();
        var (specs, baseCommit, _) = await BaseAsync(host);
        using var _ = specs;
        // The pull request grants itself an account and declares it with a guessed password: the password oracle.
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")], mariaDbManage: ["user:backup@localhost"]);
        specs.Write("db.yaml", """
            kind: resources
            target: { host: web1 }
            mariadb:
              users:
                - name: backup
                  password: guessed-backup-pw
            """);
        var head = Commit(specs, "grant and declare backup@localhost");

        var plan = await PlanAsync(specs, baseCommit, head);
        var validate = await CliRun.ExecAsync("validate", "--specs", specs.Directory);

        Assert.True(plan.ExitCode == 1, plan.ToString());
        Assert.Equal(0, plan.Traffic.Connections);
        Assert.Contains("db.yaml:5:7: error RC3019: mariadb_user[backup@localhost]: user:backup@localhost is not in mariadb.manage of the inventory", plan.Stdout + plan.Stderr);
        Assert.DoesNotContain("guessed-backup-pw", plan.ToString());
        // Without a base the specs' own inventory is the reviewed one, and it lists the account.
        Assert.True(validate.ExitCode == 0, validate.ToString());
    }
}
