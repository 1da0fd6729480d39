using Reconciler.Cli.Views;
using Reconciler.Core.Plans;
using Reconciler.GitHub;

namespace Reconciler.Cli.GitHubActions;

/// <summary>
/// One issue per drifted host, kept in step with each nightly drift run: opened on new drift, edited (with one comment,
/// the notification) when the drift changes, left alone while the same drift repeats, closed when the host is back in
/// sync. An unreachable host's issue is left as it is: nothing is known about it.
/// </summary>
internal sealed class DriftIssueSync(IGitHubIssues github, TimeProvider clock)
{
    public async Task<IReadOnlyList<(string Host, DriftIssueAction Action, int? Issue)>> SyncAsync(Plan plan, string? mention, CancellationToken ct)
    {
        var open = (await github.ListOpenIssuesAsync(DriftIssueView.Label, ct))
            .Select(i => (Host: DriftIssueView.HostOf(i.Body), Issue: i))
            .Where(x => x.Host is not null)
            .GroupBy(x => x.Host!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(x => x.Issue.Number).First().Issue, StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        var results = new List<(string, DriftIssueAction, int?)>();
        foreach (var host in plan.Hosts)
        {
            open.TryGetValue(host.Host, out var issue);
            var drifted = host.Differences.Any();
            if (host.Error is not null)
            {
                results.Add((host.Host, DriftIssueAction.LeftAlone, issue?.Number));
            }
            else if (drifted && issue is null)
            {
                var created = await github.CreateIssueAsync(DriftIssueView.Title(host.Host), DriftIssueView.Body(host, now, mention), [DriftIssueView.Label], ct);
                results.Add((host.Host, DriftIssueAction.Opened, created.Number));
            }
            else if (drifted && DriftIssueView.DigestOf(issue!.Body) != DriftIssueView.Digest(host))
            {
                // The mention goes in the comment, which notifies; mentions added by editing a description may not.
                await github.UpdateIssueAsync(issue.Number, DriftIssueView.Title(host.Host), DriftIssueView.Body(host, now, null), ct);
                await github.CreateCommentAsync(issue.Number, DriftIssueView.ChangedComment(host, mention), ct);
                results.Add((host.Host, DriftIssueAction.Changed, issue.Number));
            }
            else if (drifted)
            {
                results.Add((host.Host, DriftIssueAction.Unchanged, issue!.Number));
            }
            else if (issue is not null)
            {
                // Closing without a comment: recovery is good news nobody needs to be woken for.
                await github.CloseIssueAsync(issue.Number, DriftIssueView.Body(host, now, null, resolvedAt: now), ct);
                results.Add((host.Host, DriftIssueAction.Closed, issue.Number));
            }
            else
            {
                results.Add((host.Host, DriftIssueAction.None, null));
            }
        }

        return results;
    }
}
