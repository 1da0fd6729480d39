using Reconciler.Core.Specs;

namespace Reconciler.Git;

/// <summary>
/// Read-only port to the specs repository: resolve revisions, read a directory out of a commit (in memory), and measure how far a
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
    /// The directory <paramref name="directory"/> (a repository-relative path with '/') of the commit's tree, served from
    /// git objects in memory — nothing is written to disk; null when the commit has no such directory.
    /// </summary>
    /// <exception cref="GitRepositoryException">The tree holds a name git refuses (with '/', '.', '..', .git, NUL, empty, or
    /// twice in one tree), a mode that does not match its object, or cannot be read; the message names the entry.</exception>
    ISpecTree? ReadTree(string commit, string directory);

    /// <summary>Commits reachable from <paramref name="head"/> but not from <paramref name="commit"/>; null for an unknown commit.</summary>
    int? CommitsBehind(string commit, string head);
}
