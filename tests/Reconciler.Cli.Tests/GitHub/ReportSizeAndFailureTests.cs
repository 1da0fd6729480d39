using System.Text.RegularExpressions;
using Reconciler.Cli.GitHubActions;
using Reconciler.Cli.Tests.Views;
using Reconciler.Cli.Views;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Tests.GitHub;

/// <summary>
/// Issue 15, reports. Two classes: a body GitHub would refuse for its size (issue bodies, issue comments, pull-request
/// comments), and one host's GitHub failure stopping the loop for the hosts after it. Against the stand-in GitHub
/// server (GitHub itself cannot be reached from tests), which refuses a body over 65,536 characters with 422 as GitHub does.
/// </summary>
public sealed class ReportSizeAndFailureTests
{
    private static readonly SourceLocation At = new("resources/web.yaml", 3, 5);

    /// <summary>A host with <paramref name="count"/> drifting files, each row long and host-controlled (a hostile live value).</summary>
    private static HostPlan Drifting(string host, int count) => new(host, Enumerable.Range(0, count).Select(i =>
        new ResourceChange(new ResourceAddress("file", $"/etc/app/conf-{i:D4}.d/settings-with-a-long-name.conf"), ChangeAction.Update,
            [AttributeChange.Of(new("owner"), $"``` @octocat [x](http://evil.test) \u001b[2J::error::{new string('w', 100)}", "root")], At)).ToList());

    [Fact]
    public async Task A_host_with_700_drifting_resources_gets_an_issue_under_the_limit_that_names_where_the_rest_is()
    {
        await using var server = new FakeGitHubServer();
        var sync = new DriftIssueSync(GitHubTestSupport.Client(server), TimeProvider.System, "drift.md and drift.json of the artifact `drift-report-42`");
        var plan = new Plan([Drifting("web1", 700)]);

        var results = await sync.SyncAsync(plan, null, default);

        Assert.Equal(DriftIssueAction.Opened, Assert.Single(results).Action);
        var body = Assert.Single(server.Issues).Body;
        Assert.InRange(GitHubBody.Measure(body), 40_000, GitHubBody.Budget);
        var listed = Regex.Matches(body, @"^\| `file\[", RegexOptions.Multiline).Count;
        Assert.InRange(listed, 1, 699);
        Assert.Contains($"{700 - listed} more difference(s) are not listed here", body);
        Assert.Contains("`drift-report-42`", body);
        Assert.Empty(LiveMarkup.InMarkdown(body.Replace("`drift-report-42`", "")));
    }

    [Fact]
    public void A_drift_report_for_the_step_summary_and_a_plan_comment_for_thousands_of_hosts_are_cut_at_a_line_with_fences_closed()
    {
        // The comment's fixed part (a table row per host) alone is over the limit: it is cut, not refused.
        var plan = new Plan(Enumerable.Range(0, 3000).Select(i => Drifting($"host-{i:D4}", 1)).ToList());

        var comment = PlanCommentView.Render(plan);

        Assert.True(GitHubBody.Measure(comment) <= GitHubBody.Budget, $"{GitHubBody.Measure(comment)}");
        Assert.Contains("This comment is cut to GitHub's size limit", comment);
        Assert.Empty(LiveMarkup.InMarkdown(comment));

        // A cut inside a fenced block closes the fence, so the note is Markdown again and nothing after it is code.
        var fenced = "intro\n````diff\n" + string.Concat(Enumerable.Repeat("- ``` line from the host\n", 5000)) + "````\nend\n";
        var cut = GitHubBody.Fit(fenced, "the rest is in the artifact `plan-abc`");
        Assert.True(GitHubBody.Measure(cut) <= GitHubBody.Budget);
        Assert.Contains("\n````\n\n> [!NOTE]\n> the rest is in the artifact `plan-abc`\n", cut);
    }

    [Fact]
    public void The_measure_is_never_below_what_GitHub_counts()
    {
        foreach (var text in new[] { "plain", "é€😀", "a\nb\r\n", string.Concat(Enumerable.Repeat("😀", 10)) })
        {
            Assert.True(GitHubBody.Measure(text) >= text.Length);
            Assert.True(GitHubBody.Measure(text) >= text.EnumerateRunes().Count());
            Assert.True(GitHubBody.Measure(text) >= System.Text.Encoding.UTF8.GetByteCount(text));
        }
    }

    [Fact]
    public async Task GitHub_refusing_one_hosts_issue_does_not_stop_the_next_hosts()
    {
        await using var server = new FakeGitHubServer();
        server.Refuse = r => r.Method == "POST" && r.Body.Contains("Drift on web1", StringComparison.Ordinal)
            ? (422, """{"message":"Validation Failed \u001b[2J\n::error::from the API"}""")
            : null;
        var sync = new DriftIssueSync(GitHubTestSupport.Client(server), TimeProvider.System);

        var results = await sync.SyncAsync(new Plan([Drifting("web1", 1), Drifting("web2", 1), Drifting("web3", 1)]), null, default);

        Assert.Equal([DriftIssueAction.Failed, DriftIssueAction.Opened, DriftIssueAction.Opened], results.Select(r => r.Action));
        Assert.Contains("422", results[0].Failure);
        Assert.Equal(["Drift on web2", "Drift on web3"], server.Issues.Select(i => i.Title));
    }
}
