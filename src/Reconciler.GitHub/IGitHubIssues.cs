namespace Reconciler.GitHub;

/// <summary>
/// The port to GitHub: only the issue and comment operations the plan comment and the drift issues need.
/// Pull-request conversation comments are issue comments in GitHub's API, so one port serves both.
/// </summary>
public interface IGitHubIssues
{
    Task<IReadOnlyList<IssueComment>> ListCommentsAsync(int issueNumber, CancellationToken ct);

    Task<IssueComment> CreateCommentAsync(int issueNumber, string body, CancellationToken ct);

    Task<IssueComment> UpdateCommentAsync(long commentId, string body, CancellationToken ct);

    /// <summary>Open issues carrying <paramref name="label"/>; pull requests are left out.</summary>
    Task<IReadOnlyList<Issue>> ListOpenIssuesAsync(string label, CancellationToken ct);

    Task<Issue> CreateIssueAsync(string title, string body, IReadOnlyList<string> labels, CancellationToken ct);

    Task<Issue> UpdateIssueAsync(int number, string title, string body, CancellationToken ct);

    Task<Issue> CloseIssueAsync(int number, string body, CancellationToken ct);
}
