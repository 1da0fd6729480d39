using LibGit2Sharp;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>Saved plans, the applied commit on the host, and the apply lock, against real Debian hosts over SSH.</summary>
public sealed class GitOpsTests
{
    private static async Task<(DebianHost Host, SpecsWorkspace Specs)> GivenAsync()
    {
        var host = await DebianHost.StartAsync();
        var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        HardeningSpec.WriteTo(specs);
        return (host, specs);
    }

    /// <summary>Makes the workspace a git repository with everything committed; returns the commit.</summary>
    private static string Commit(SpecsWorkspace specs)
    {
        Repository.Init(specs.Directory);
        using var repo = new Repository(specs.Directory);
        Commands.Stage(repo, "*");
        var me = new Signature("Test", "test@example.org", DateTimeOffset.UtcNow);
        return repo.Commit("specs", me, me).Sha;
    }

    [Fact]
    public async Task Apply_of_a_plan_whose_host_changed_by_hand_since_is_refused_naming_the_resource_and_changes_nothing()
    {
        var (host, specs) = await GivenAsync();
        await using var _ = host;
        using var __ = specs;
        var planFile = Path.Combine(specs.Directory, "plan.json");
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--format", "json", "--out", planFile);
        Assert.True(plan.ExitCode == 2, plan.ToString());

        await host.ExecAsync("chmod 0644 /etc/shadow");
        var apply = await CliRun.ExecAsync("apply", "--specs", specs.Directory, "--plan", planFile);

        Assert.True(apply.ExitCode == 1, apply.ToString());
        Assert.Contains("re-plan: file[/etc/shadow] changed on web1 since the plan", apply.Stdout + apply.Stderr);
        Assert.Equal("644", (await host.ExecAsync("stat -c %a /etc/shadow")).Stdout.Trim());
        Assert.Matches(@"(?m)^UMASK\s+022$", (await host.ExecAsync("cat /etc/login.defs")).Stdout);
        Assert.NotEqual(0, (await host.ExecAsync("test -e /var/lib/reconciler/lock")).ExitCode);
        Assert.NotEqual(0, (await host.ExecAsync("test -e /var/lib/reconciler/state")).ExitCode);
    }

    [Fact]
    public async Task Apply_of_a_fresh_plan_from_the_repository_records_the_commit_that_plan_then_shows()
    {
        var (host, specs) = await GivenAsync();
        await using var _ = host;
        using var __ = specs;
        var commit = Commit(specs);
        var planFile = Path.Combine(Path.GetTempPath(), $"reconciler-plan-{Guid.NewGuid():N}.json");
        try
        {
            var plan = await CliRun.ExecAsync("plan", "--repo", specs.Directory, "--specs", ".", "--format", "json", "--out", planFile);
            Assert.True(plan.ExitCode == 2, plan.ToString());
            Assert.Contains($"\"commit\": \"{commit}\"", await File.ReadAllTextAsync(planFile));

            var apply = await CliRun.ExecAsync("apply", "--repo", specs.Directory, "--specs", ".", "--plan", planFile);
            Assert.True(apply.ExitCode == 0, apply.ToString());

            var state = (await host.ExecAsync("cat /var/lib/reconciler/state")).Stdout;
            Assert.Contains($"commit={commit}\n", state);
            Assert.Matches(@"(?m)^at=\d{4}-\d\d-\d\dT", state);
            var again = await CliRun.ExecAsync("plan", "--repo", specs.Directory, "--specs", ".");
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Contains($"web1 is at commit {commit[..7]}, up to date", again.Stdout);
        }
        finally
        {
            File.Delete(planFile);
        }
    }

    [Fact]
    public async Task Two_concurrent_applies_on_one_host_never_interleave_one_fails_naming_the_holder()
    {
        var (host, specs) = await GivenAsync();
        await using var _ = host;
        using var __ = specs;

        var runs = await Task.WhenAll(
            Task.Run(() => CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory)),
            Task.Run(() => CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory)));

        var ok = runs.Where(r => r.ExitCode == 0).ToList();
        var locked = runs.Where(r => r.ExitCode != 0).ToList();
        Assert.True(ok.Count == 1 && locked.Count == 1, string.Join("\n=====\n", runs.Select(r => r.ToString())));
        Assert.Matches(@"locked by another apply: \S+ pid \d+ run [0-9a-f]+ since \d{4}-\d\d-\d\dT", locked[0].Stdout + locked[0].Stderr);
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.NotEqual(0, (await host.ExecAsync("test -e /var/lib/reconciler/lock")).ExitCode);
    }

    [Fact]
    public async Task A_second_apply_with_a_lock_timeout_waits_for_the_first_and_then_finds_nothing_to_do()
    {
        var (host, specs) = await GivenAsync();
        await using var _ = host;
        using var __ = specs;

        var runs = await Task.WhenAll(
            Task.Run(() => CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory, "--lock-timeout", "120")),
            Task.Run(() => CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory, "--lock-timeout", "120")));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 0, plan.ToString());
    }

    [Fact]
    public async Task A_stale_lock_left_by_a_crashed_run_is_taken_over_and_reported()
    {
        var (host, specs) = await GivenAsync();
        await using var _ = host;
        using var __ = specs;
        await host.ExecAsync("mkdir -p /var/lib/reconciler/lock && printf 'holder=crashed-ci pid 1 run 0\\nsince=2020-01-01T00:00:00Z\\n' > /var/lib/reconciler/lock/owner");

        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);

        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Contains("web1: took over a stale lock held by crashed-ci pid 1 run 0 since 2020-01-01T00:00:00Z", apply.Stdout);
        Assert.NotEqual(0, (await host.ExecAsync("test -e /var/lib/reconciler/lock")).ExitCode);
    }
}
