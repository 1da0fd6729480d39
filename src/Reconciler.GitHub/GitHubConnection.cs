namespace Reconciler.GitHub;

/// <summary>Where the API is (GITHUB_API_URL, a local stand-in in tests), which repository, and the token to use.</summary>
public sealed record GitHubConnection(Uri ApiBase, string Repository, string Token)
{
    public static readonly Uri PublicApi = new("https://api.github.com/");

    // The token is never part of a record's printed form: records print every property by default.
    public override string ToString() => $"{Repository} at {ApiBase}";
}
