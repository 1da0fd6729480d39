namespace Reconciler.GitHub;

/// <summary>GitHub answered with an error or could not be reached; the message is safe to print (no token, no body sent).</summary>
public sealed class GitHubApiException(string message, Exception? inner = null) : Exception(message, inner);
