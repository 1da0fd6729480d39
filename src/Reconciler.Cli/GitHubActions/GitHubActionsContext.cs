using System.Text.Json;
using Reconciler.GitHub;

namespace Reconciler.Cli.GitHubActions;

/// <summary>
/// What a GitHub Actions run tells the tool through its environment, read once at start-up so the rest of the
/// code never reads environment variables (and tests pass their own).
/// </summary>
internal sealed record GitHubActionsContext(
    bool InActions,
    string? Token,
    string? Repository,
    Uri ApiBase,
    int? EventPullRequest,
    string? StepSummaryPath,
    string? RunUrl,
    string? RunId = null)
{
    public static GitHubActionsContext From(Func<string, string?> environment)
    {
        string? Get(string name) => environment(name) is { Length: > 0 } value ? value : null;

        var server = Get("GITHUB_SERVER_URL") ?? "https://github.com";
        var repository = Get("GITHUB_REPOSITORY");
        var runId = Get("GITHUB_RUN_ID");
        return new GitHubActionsContext(
            Get("GITHUB_ACTIONS") == "true",
            Get("GITHUB_TOKEN"),
            repository,
            Get("GITHUB_API_URL") is { } api && Uri.TryCreate(api, UriKind.Absolute, out var apiUri) ? apiUri : GitHubConnection.PublicApi,
            PullRequestFromEvent(Get("GITHUB_EVENT_PATH")),
            Get("GITHUB_STEP_SUMMARY"),
            repository is not null && runId is not null ? $"{server.TrimEnd('/')}/{repository}/actions/runs/{runId}" : null,
            runId);
    }

    // Records print every property; the token must never be printed.
    public override string ToString() => $"GitHub Actions context for {Repository ?? "(no repository)"}";

    /// <summary>The connection, or why there is none (phrased for the person who asked for --comment or --issues).</summary>
    public (GitHubConnection? Connection, string? Missing) Connection() =>
        (Token, Repository) switch
        {
            (null, _) => (null, "GITHUB_TOKEN is not set"),
            (_, null) => (null, "GITHUB_REPOSITORY (owner/name) is not set"),
            _ when Repository!.Count(c => c == '/') != 1 => (null, $"GITHUB_REPOSITORY '{Repository}' is not owner/name"),
            _ => (new GitHubConnection(ApiBase, Repository!, Token!), null),
        };

    /// <summary>pull_request.number from the event payload a pull_request workflow is started with.</summary>
    private static int? PullRequestFromEvent(string? eventPath)
    {
        if (eventPath is null || !File.Exists(eventPath)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(eventPath));
            return document.RootElement.TryGetProperty("pull_request", out var pr) && pr.TryGetProperty("number", out var number) && number.TryGetInt32(out var n)
                ? n
                : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
