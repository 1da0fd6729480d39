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

    /// <summary>GitHub refused or did not answer; the run goes on with the next host and fails at the end.</summary>
    Failed,
}
