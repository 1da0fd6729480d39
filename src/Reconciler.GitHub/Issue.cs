namespace Reconciler.GitHub;

/// <summary>The parts of a GitHub issue the reconciler reads.</summary>
public sealed record Issue(int Number, string Title, string Body, string State);
