namespace Reconciler.Cli.Tests.GitHub;

/// <summary>One request the stand-in GitHub received, as sent.</summary>
public sealed record FakeRequest(string Method, string Target, string Body, string? Authorization);
