namespace Reconciler.GitHub;

/// <summary>Creates the REST adapter; the only way in, so callers depend on the port and never on the adapter.</summary>
public static class GitHubClients
{
    /// <param name="redact">Applied to every request body before it leaves the process and to every error message.</param>
    /// <param name="handler">The HTTP stack; tests pass none and point <see cref="GitHubConnection.ApiBase"/> at a local server.</param>
    public static IGitHubIssues Create(GitHubConnection connection, Func<string, string> redact, HttpMessageHandler? handler = null) =>
        new GitHubRestClient(connection, redact, handler);
}
