namespace Reconciler.Git;

/// <summary>
/// Read-only port to the specs repository: resolve revisions, read a directory out of a commit, and measure how far a
/// commit is behind another. Nothing here writes to the repository or its working tree.
/// </summary>
public interface IGitRepository : IDisposable
{
    /// <summary>The working tree's root directory (where <c>.git</c> lives).</summary>
    string Root { get; }

    /// <summary>The full SHA of a revision (<c>HEAD</c>, a branch, a tag, <c>main~2</c>, a short SHA).</summary>
    /// <exception cref="GitRepositoryException">The revision does not name a commit.</exception>
    string Resolve(string revision);

    /// <summary>Whether the repository has this commit at all.</summary>
    bool Contains(string sha);

    /// <summary>
    /// Writes every file under <paramref name="directory"/> (a repository-relative path with '/') of the commit's tree
    /// into <paramref name="destination"/>; false when the commit has no such directory.
    /// </summary>
    bool Materialize(string commit, string directory, string destination);

    /// <summary>Commits reachable from <paramref name="head"/> but not from <paramref name="commit"/>; null for an unknown commit.</summary>
    int? CommitsBehind(string commit, string head);
}
