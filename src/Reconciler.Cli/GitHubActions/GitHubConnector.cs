using Reconciler.Cli.Redaction;
using Reconciler.GitHub;

namespace Reconciler.Cli.GitHubActions;

/// <summary>Opens the GitHub port with this run's redactor, so every body sent is scrubbed of sensitive values.</summary>
internal sealed class GitHubConnector(RedactionScope redaction, HttpMessageHandler? handler = null)
{
    public IGitHubIssues Connect(GitHubConnection connection) => GitHubClients.Create(connection, redaction.Redact, handler);
}
