namespace Reconciler.GitHub;

/// <summary>A comment on an issue or pull request (GitHub stores pull-request conversation comments as issue comments).</summary>
public sealed record IssueComment(long Id, string Body);
