using LibGit2Sharp;
using Reconciler.Cli.Tests.GitHub;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>
/// The daily Git-ops cycle in one test, as the workflows run it: a pull request is planned (comment created, then
/// edited on the next push), merged, its plan artifact applied, and the nightly drift finds the hosts in sync.
/// A real git repository, real hosts over SSH, and the stand-in server in place of GitHub (unreachable from tests).
/// </summary>
public sealed class FullCycleTests
{
    private static readonly Signature Me = new("Ops", "ops@example.org", DateTimeOffset.UtcNow);

    [Fact]
    public async Task Pull_request_plan_comment_merge_apply_of_the_artifact_then_drift()
    {
        // Given two hosts in different groups, applied at the base commit of main
        await using var web1 = await DebianHost.StartAsync();
        await using var web2 = await DebianHost.StartAsync();
        await using var github = new FakeGitHubServer();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", web1, DebianHost.RootUser, "hardened"), ("web2", web2, DebianHost.RootUser, "web")]);
        HardeningSpec.WriteTo(specs);
        specs.Write("web.yaml", "kind: resources\ntarget: { group: web }\nfiles:\n  - { path: /etc/motd, content: \"web\\n\" }\n");
        Repository.Init(specs.Directory);
        using var repo = new Repository(specs.Directory);
        var baseSha = CommitAll(repo, "base");
        var env = new Dictionary<string, string>
        {
            ["GITHUB_TOKEN"] = "test-token",
            ["GITHUB_REPOSITORY"] = "acme/infra",
            ["GITHUB_API_URL"] = github.BaseUrl,
        };
        Task<CliRun> Run(string command, params string[] args) =>
            CliRun.ExecWithEnvironmentAsync(env, [command, "--repo", specs.Directory, "--specs", ".", .. args]);
        var applyBase = await Run("apply", "--yes");
        Assert.True(applyBase.ExitCode == 0, applyBase.ToString());

        // When a pull request tightens a hardening file, is planned, then gets a second push and is planned again
        Commands.Checkout(repo, repo.CreateBranch("tighten-login-defs"));
        specs.Write("hardening.yaml", HardeningSpec.Resources.Replace("value: \"077\"", "value: \"027\""));
        var head1 = CommitAll(repo, "UMASK 027");
        var plan1 = await Run("plan", "--base", baseSha, "--head", head1, "--comment", "--pr", "7");
        Assert.True(plan1.ExitCode == 2, plan1.ToString());
        specs.Write("hardening.yaml", HardeningSpec.Resources.Replace("value: \"077\"", "value: \"027\"").Replace("mode: \"0400\"", "mode: \"0440\""));
        var head2 = CommitAll(repo, "shadow 0440");
        var artifact = Path.Combine(Path.GetTempPath(), $"reconciler-plan-{head2}.json");
        var plan2 = await Run("plan", "--base", baseSha, "--head", head2, "--comment", "--pr", "7", "--format", "json", "--out", artifact);
        Assert.True(plan2.ExitCode == 2, plan2.ToString());

        // Then only the affected host is planned, and the pull request has one comment, edited in place
        var planJson = await File.ReadAllTextAsync(artifact);
        Assert.Contains($"\"commit\": \"{head2}\"", planJson);
        Assert.Contains("\"name\": \"web1\"", planJson);
        Assert.DoesNotContain("\"name\": \"web2\"", planJson);
        var comment = Assert.Single(github.CommentsOn(7));
        Assert.Equal(1, comment.Edits);
        Assert.Contains("UMASK: 077 → 027", comment.Body);
        Assert.Contains("mode: 0400 → 0440", comment.Body);

        // When the pull request is merged and the reviewed artifact is applied
        Commands.Checkout(repo, repo.Branches["master"] ?? repo.Branches["main"]);
        var merge = repo.Merge(repo.Branches["tighten-login-defs"], Me, new MergeOptions { FastForwardStrategy = FastForwardStrategy.FastForwardOnly });
        Assert.Equal(MergeStatus.FastForward, merge.Status);
        var apply = await Run("apply", "--plan", artifact);
        Assert.True(apply.ExitCode == 0, apply.ToString());

        // Then web1 runs the merged commit, web2 was not touched, and the nightly drift finds both in sync
        Assert.Matches(@"(?m)^UMASK\s+027$", (await web1.ExecAsync("cat /etc/login.defs")).Stdout);
        Assert.Equal("440", (await web1.ExecAsync("stat -c %a /etc/shadow")).Stdout.Trim());
        Assert.Contains($"commit={head2}\n", (await web1.ExecAsync("cat /var/lib/reconciler/state")).Stdout);
        Assert.Contains($"commit={baseSha}\n", (await web2.ExecAsync("cat /var/lib/reconciler/state")).Stdout);
        var drift = await Run("drift", "--issues", "--report-dir", Path.Combine(Path.GetTempPath(), $"drift-{head2}"));
        Assert.True(drift.ExitCode == 0, drift.ToString());
        Assert.Empty(github.Issues);
        Assert.Contains($"web1 is at commit {head2[..7]}, up to date", drift.Stdout);
        Assert.Contains($"web2 is at commit {baseSha[..7]}, 2 commits behind", drift.Stdout);
        File.Delete(artifact);
    }

    private static string CommitAll(Repository repo, string message)
    {
        Commands.Stage(repo, "*");
        return repo.Commit(message, Me, Me).Sha;
    }
}
