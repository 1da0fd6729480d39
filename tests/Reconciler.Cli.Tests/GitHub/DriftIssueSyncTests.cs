using Reconciler.Cli.GitHubActions;
using Reconciler.Cli.Views;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Tests.GitHub;

/// <summary>Drift issues against the stand-in GitHub as a host drifts, stays drifted, drifts differently and recovers.</summary>
public sealed class DriftIssueSyncTests
{
    private static readonly SourceLocation At = new("resources/web.yaml", 3, 5);

    private static Plan Drifted(string mode) => new(
    [
        new HostPlan("web1", [new ResourceChange(new ResourceAddress("file", "/etc/shadow"), ChangeAction.Update, [AttributeChange.Of(new("mode"), mode, "0400")], At)]),
        new HostPlan("web2", [ResourceChangeNoOp()]),
    ]);

    private static Plan InSync() => new([new HostPlan("web1", [ResourceChangeNoOp()]), new HostPlan("web2", [ResourceChangeNoOp()])]);

    private static ResourceChange ResourceChangeNoOp() => new(new ResourceAddress("file", "/etc/shadow"), ChangeAction.NoOp, [], At);

    [Fact]
    public async Task Issue_is_opened_then_left_alone_then_updated_then_closed_as_the_host_drifts_and_recovers()
    {
        await using var server = new FakeGitHubServer();
        var sync = new DriftIssueSync(GitHubTestSupport.Client(server), TimeProvider.System);

        // Night 1: web1 drifts → one issue, with the mention (the notification)
        var night1 = await sync.SyncAsync(Drifted("0644"), "@acme/ops", default);
        var issue = Assert.Single(server.Issues);
        Assert.Equal([new DriftIssueResult("web1", DriftIssueAction.Opened, issue.Number), new DriftIssueResult("web2", DriftIssueAction.None, null)], night1);
        Assert.Equal("Drift on web1", issue.Title);
        Assert.Contains(DriftIssueView.Label, issue.Labels);
        Assert.Contains("@acme/ops", issue.Body);
        Assert.Contains("| `file[/etc/shadow]` | `mode` | `0400` | `0644` |", issue.Body);

        // Night 2: the same drift → nothing written, no notification
        var writesBefore = server.Requests.Count(r => r.Method != "GET");
        var night2 = await sync.SyncAsync(Drifted("0644"), "@acme/ops", default);
        Assert.Equal(DriftIssueAction.Unchanged, night2[0].Action);
        Assert.Equal(writesBefore, server.Requests.Count(r => r.Method != "GET"));
        Assert.Empty(server.CommentsOn(issue.Number));

        // Night 3: the drift changed → description edited, one comment mentioning the team
        var night3 = await sync.SyncAsync(Drifted("0666"), "@acme/ops", default);
        Assert.Equal(DriftIssueAction.Changed, night3[0].Action);
        Assert.Single(server.Issues);
        Assert.Contains("`0666`", issue.Body);
        var comment = Assert.Single(server.CommentsOn(issue.Number));
        Assert.Contains("@acme/ops", comment.Body);

        // Night 4: back in sync → closed, without another comment
        var night4 = await sync.SyncAsync(InSync(), "@acme/ops", default);
        Assert.Equal(DriftIssueAction.Closed, night4[0].Action);
        Assert.Equal("closed", issue.State);
        Assert.Contains("back in sync", issue.Body);
        Assert.Single(server.CommentsOn(issue.Number));

        // Night 5: drifts again → a new issue (the closed one is history)
        await sync.SyncAsync(Drifted("0644"), null, default);
        Assert.Equal(2, server.Issues.Count);
        Assert.Equal("open", server.Issues[1].State);
    }

    [Fact]
    public async Task An_unreachable_host_keeps_its_issue_as_it_is()
    {
        await using var server = new FakeGitHubServer();
        var sync = new DriftIssueSync(GitHubTestSupport.Client(server), TimeProvider.System);
        await sync.SyncAsync(Drifted("0644"), null, default);

        var result = await sync.SyncAsync(new Plan([new HostPlan("web1", [], "ssh: connection refused")]), null, default);

        Assert.Equal(DriftIssueAction.LeftAlone, result[0].Action);
        Assert.Equal("open", server.Issues[0].State);
        Assert.Equal(0, server.Issues[0].Edits);
    }

    [Fact]
    public async Task Hosts_are_told_apart_by_their_marker_not_their_title()
    {
        await using var server = new FakeGitHubServer();
        server.Issues.Add(new FakeIssue(99) { Title = "Drift on web1", Body = "written by hand", Labels = [DriftIssueView.Label] });
        var sync = new DriftIssueSync(GitHubTestSupport.Client(server), TimeProvider.System);

        await sync.SyncAsync(Drifted("0644"), null, default);

        Assert.Equal(2, server.Issues.Count);
        Assert.Equal("written by hand", server.Issues[0].Body);
    }
}
