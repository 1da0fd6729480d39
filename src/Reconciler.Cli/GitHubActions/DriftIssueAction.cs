namespace Reconciler.Cli.GitHubActions;

/// <summary>What the drift run did with one host's issue; only Opened and Changed notify anyone.</summary>
internal enum DriftIssueAction
{
    None,
    Opened,
    Changed,
    Unchanged,
    Closed,
    LeftAlone,
}
