using Reconciler.Cli.Views;
using Reconciler.Core.Plans;
using Reconciler.GitHub;

namespace Reconciler.Cli.GitHubActions;

/// <summary>What the drift run did with one host's issue; <paramref name="Failure"/> says why GitHub refused it.</summary>
internal sealed record DriftIssueResult(string Host, DriftIssueAction Action, int? Issue, string? Failure = null);

/// <summary>
/// One issue per drifted host (or one needing attention), kept in step with each nightly drift run: opened on new drift, edited (with one comment,
/// the notification) when the drift changes, left alone while the same drift repeats, closed when the host is back in
/// sync. An unreachable host's issue is left as it is: nothing is known about it. GitHub refusing one host's issue (a
/// 422, a timeout, any error) is that host's failure: the hosts after it still get theirs.
/// </summary>
/// <param name="reportAt">Where the whole report is (the run's artifact), named in a body cut to GitHub's limit.</param>
internal sealed class DriftIssueSync(IGitHubIssues github, TimeProvider clock, string? reportAt = null)
{
    public async Task<IReadOnlyList<DriftIssueResult>> SyncAsync(Plan plan, string? mention, CancellationToken ct)
    {
        // Without the list of open issues no host's issue can be kept right (a second issue would be opened): the
        // whole sync fails, and the caller reports it.
        var open = (await github.ListOpenIssuesAsync(DriftIssueView.Label, ct))
            .Select(i => (Host: DriftIssueView.HostOf(i.Body), Issue: i))
            .Where(x => x.Host is not null)
            .GroupBy(x => x.Host!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(x => x.Issue.Number).First().Issue, StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        var results = new List<DriftIssueResult>();
        foreach (var host in plan.Hosts)
        {
            open.TryGetValue(host.Host, out var issue);
            try
            {
                results.Add(await SyncHostAsync(host, issue, now, mention, ct));
            }
            catch (GitHubApiException e)
            {
                results.Add(new DriftIssueResult(host.Host, DriftIssueAction.Failed, issue?.Number, e.Message));
            }
        }

        return results;
    }

    private async Task<DriftIssueResult> SyncHostAsync(HostPlan host, Issue? issue, DateTimeOffset now, string? mention, CancellationToken ct)
    {
        // A host that needs attention (breached health rules) keeps an issue just as a drifted one does.
        var drifted = DriftIssueView.Wanted(host);
        if (host.Error is not null)
        {
            return new DriftIssueResult(host.Host, DriftIssueAction.LeftAlone, issue?.Number);
        }

        if (drifted && issue is null)
        {
            var created = await github.CreateIssueAsync(DriftIssueView.Title(host.Host), DriftIssueView.Body(host, now, mention, reportAt: reportAt), [DriftIssueView.Label], ct);
            return new DriftIssueResult(host.Host, DriftIssueAction.Opened, created.Number);
        }

        if (drifted && DriftIssueView.DigestOf(issue!.Body) != DriftIssueView.Digest(host))
        {
            // The mention goes in the comment, which notifies; mentions added by editing a description may not.
            await github.UpdateIssueAsync(issue.Number, DriftIssueView.Title(host.Host), DriftIssueView.Body(host, now, null, reportAt: reportAt), ct);
            await github.CreateCommentAsync(issue.Number, DriftIssueView.ChangedComment(host, mention), ct);
            return new DriftIssueResult(host.Host, DriftIssueAction.Changed, issue.Number);
        }

        if (drifted)
        {
            return new DriftIssueResult(host.Host, DriftIssueAction.Unchanged, issue!.Number);
        }

        if (issue is not null)
        {
            // Closing without a comment: recovery is good news nobody needs to be woken for.
            await github.CloseIssueAsync(issue.Number, DriftIssueView.Body(host, now, null, resolvedAt: now, reportAt: reportAt), ct);
            return new DriftIssueResult(host.Host, DriftIssueAction.Closed, issue.Number);
        }

        return new DriftIssueResult(host.Host, DriftIssueAction.None, null);
    }
}
