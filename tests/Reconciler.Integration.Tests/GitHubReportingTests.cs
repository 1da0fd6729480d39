using Reconciler.Cli.Tests.GitHub;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>
/// plan --comment and drift --issues end to end: a real host with a sensitive file, the stand-in GitHub server
/// (GitHub itself cannot be reached from tests), and a search of every output for the secret.
/// </summary>
public sealed class GitHubReportingTests
{
    private const string Secret = "Zq8-s3cr3t-integration-value";
    private const string HostSecret = "hand-written-s3cr3t-on-host";

    [Fact]
    public async Task Plan_comment_and_drift_issues_follow_the_host_and_never_show_the_secret()
    {
        // Given a blank host, a spec with a sensitive file, and the stand-in GitHub
        await using var host = await DebianHost.StartAsync();
        await using var github = new FakeGitHubServer();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        specs.Write("app.yaml", $"""
            kind: resources
            target: {"{"} host: web1 {"}"}
            files:
              - path: /etc/app-token
                content: "db-password: {Secret}\n"
                sensitive: true
                mode: "0600"
              - path: /etc/motd
                content: "Managed by reconciler\n"
            """);
        var job = new ActionsJob(specs, github);
        var summary = job.StepSummary;
        var reports = Path.Combine(specs.Directory, "drift-report");

        // When the pull request is planned twice
        var first = await job.Run("plan", "--comment", "--pr", "5");
        Assert.True(first.ExitCode == 2, first.ToString());
        var second = await job.Run("plan", "--comment", "--pr", "5", "--format", "json", "--out", Path.Combine(specs.Directory, "plan.json"));
        Assert.True(second.ExitCode == 2, second.ToString());

        // Then there is one plan comment, edited in place, that names the change but not the value
        var comment = Assert.Single(github.CommentsOn(5));
        Assert.Equal(1, comment.Edits);
        Assert.Contains("file[/etc/app-token]", comment.Body);
        Assert.Contains("content: (sensitive value changed)", comment.Body);
        Assert.Contains("## Reconciler plan", await File.ReadAllTextAsync(summary));

        // When drift runs with issues on the unapplied host, twice
        var drift = await job.Run("drift", "--issues", "--mention", "acme/ops", "--report-dir", reports);
        Assert.True(drift.ExitCode == 2, drift.ToString());
        var issue = Assert.Single(github.Issues);
        Assert.Equal("open", issue.State);
        Assert.Contains("@acme/ops", issue.Body);
        var writes = github.Requests.Count(r => r.Method != "GET");
        var again = await job.Run("drift", "--issues", "--mention", "acme/ops", "--report-dir", reports);
        Assert.True(again.ExitCode == 2, again.ToString());
        Assert.Equal(writes, github.Requests.Count(r => r.Method != "GET")); // the same drift: nothing new, nobody notified

        // When the host is applied, drift closes the issue
        var apply = await job.Run("apply", "--yes");
        Assert.True(apply.ExitCode == 0, apply.ToString());
        var clean = await job.Run("drift", "--issues", "--report-dir", reports);
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Equal("closed", issue.State);

        // When someone writes another secret into the file by hand, drift reopens without showing either value
        await host.ExecAsync($"printf 'db-password: {HostSecret}\\n' > /etc/app-token");
        var drifted = await job.Run("drift", "--issues", "--report-dir", reports);
        Assert.True(drifted.ExitCode == 2, drifted.ToString());
        Assert.Equal(2, github.Issues.Count);
        Assert.Contains("(sensitive value differs)", github.Issues[1].Body);

        // Then no output anywhere holds either secret: console, plan JSON, comment, HTTP bodies, reports, step summary
        var outputs = new Dictionary<string, string>
        {
            ["console"] = job.Printed,
            ["plan json"] = await File.ReadAllTextAsync(Path.Combine(specs.Directory, "plan.json")),
            ["comment"] = comment.Body,
            ["issues"] = string.Join("\n", github.Issues.Select(i => i.Title + i.Body)),
            ["http bodies"] = string.Join("\n", github.Requests.Select(r => r.Target + r.Body)),
            ["drift.md"] = await File.ReadAllTextAsync(Path.Combine(reports, "drift.md")),
            ["drift.json"] = await File.ReadAllTextAsync(Path.Combine(reports, "drift.json")),
            ["drift.html"] = await File.ReadAllTextAsync(Path.Combine(reports, "drift.html")),
            ["step summary"] = await File.ReadAllTextAsync(summary),
        };
        Assert.All(outputs, o =>
        {
            Assert.False(o.Value.Contains("s3cr3t", StringComparison.Ordinal), $"{o.Key} shows a secret:\n{o.Value}");
        });
        // And the secret did reach the host
        Assert.Contains(HostSecret, (await host.ExecAsync("cat /etc/app-token")).Stdout);
    }
}
