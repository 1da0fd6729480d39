namespace Reconciler.Git;

/// <summary>A git problem said in one line for the user (unknown revision, not a repository).</summary>
public sealed class GitRepositoryException(string message, Exception? inner = null) : Exception(message, inner);
