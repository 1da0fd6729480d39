using Reconciler.Cli.GitHubActions;
using Reconciler.Cli.Redaction;
using Reconciler.GitHub;

namespace Reconciler.Cli.Tests.GitHub;

/// <summary>The real REST adapter pointed at the stand-in server, with a redactor that knows the sample secret.</summary>
internal static class GitHubTestSupport
{
    public static RedactionScope Redaction(params string[] secrets)
    {
        var scope = new RedactionScope();
        scope.Add(secrets);
        return scope;
    }

    public static IGitHubIssues Client(FakeGitHubServer server, RedactionScope? redaction = null) =>
        new GitHubConnector(redaction ?? Redaction()).Connect(new GitHubConnection(new Uri(server.BaseUrl), "acme/infra", "test-token"));

    public static GitHubActionsContext Context(FakeGitHubServer server, string? stepSummary = null, int? eventPr = null) =>
        GitHubActionsContext.From(name => name switch
        {
            "GITHUB_TOKEN" => "test-token",
            "GITHUB_REPOSITORY" => "acme/infra",
            "GITHUB_API_URL" => server.BaseUrl,
            "GITHUB_STEP_SUMMARY" => stepSummary,
            _ => null,
        }) with { EventPullRequest = eventPr };
}
