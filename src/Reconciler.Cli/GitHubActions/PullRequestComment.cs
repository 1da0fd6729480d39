using Reconciler.Cli.Views;
using Reconciler.GitHub;

namespace Reconciler.Cli.GitHubActions;

/// <summary>Keeps exactly one plan comment per pull request: found by its hidden marker and edited, created only when absent.</summary>
internal static class PullRequestComment
{
    public static async Task<(IssueComment Comment, bool Created)> UpsertAsync(IGitHubIssues github, int pullRequest, string body, CancellationToken ct)
    {
        var existing = (await github.ListCommentsAsync(pullRequest, ct)).FirstOrDefault(c => c.Body.Contains(PlanCommentView.Marker, StringComparison.Ordinal));
        return existing is null
            ? (await github.CreateCommentAsync(pullRequest, body, ct), true)
            : (await github.UpdateCommentAsync(existing.Id, body, ct), false);
    }
}
