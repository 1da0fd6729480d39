using Reconciler.Cli.GitHubActions;
using Reconciler.Cli.Redaction;
using Reconciler.Cli.Views;
using Reconciler.Core.Plans;
using Reconciler.GitHub;

namespace Reconciler.Cli.Features;

/// <summary>
/// Where a plan goes besides the console in a workflow: the step summary (whenever GITHUB_STEP_SUMMARY is set) and,
/// with --comment, the pull request's one plan comment.
/// </summary>
internal sealed class PlanPublisher(GitHubActionsContext github, GitHubConnector connector, OutputFiles files, Terminal terminal)
{
    /// <summary>GitHub caps a step summary at 1 MiB.</summary>
    public const int StepSummaryLimit = GitHubBody.StepSummaryBudget;

    /// <returns>False when a requested comment could not be posted (the reason is printed).</returns>
    public async Task<bool> PublishAsync(Plan plan, bool comment, int? pullRequest, CancellationToken ct)
    {
        if (github.StepSummaryPath is { } summary)
        {
            await files.AppendAsync(summary, PlanCommentView.Render(plan, StepSummaryLimit, withMarker: false) + "\n", ct);
        }

        if (!comment) return true;
        var (connection, missing) = github.Connection();
        var number = pullRequest ?? github.EventPullRequest;
        if (connection is null || number is null)
        {
            terminal.Error.WriteLine($"--comment: {missing ?? "no pull request: pass --pr N, or run on a pull_request event (GITHUB_EVENT_PATH)"}; no comment was posted.");
            return false;
        }

        // plan.yml uploads the JSON plan as the artifact plan-HEAD_SHA; the step summary holds the whole text.
        var artifact = plan.Commit is { } head ? $"plan artifact `plan-{head}`" : "plan artifact";
        var fullPlanAt = github.RunUrl is { } run ? $"the [workflow run]({run})'s step summary and {artifact}" : null;
        try
        {
            var (posted, created) = await PullRequestComment.UpsertAsync(connector.Connect(connection), number.Value, PlanCommentView.Render(plan, fullPlanAt: fullPlanAt), ct);
            terminal.Out.WriteLine($"Plan comment {(created ? "posted on" : "updated on")} pull request #{number} (comment {posted.Id}).");
            return true;
        }
        catch (GitHubApiException e)
        {
            terminal.Error.WriteLine($"--comment: {e.Message}");
            return false;
        }
    }
}
