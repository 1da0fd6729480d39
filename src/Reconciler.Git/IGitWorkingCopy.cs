namespace Reconciler.Git;

/// <summary>
/// The one mutating port, kept apart from <see cref="IGitRepository"/> as plan is kept apart from apply: brings a
/// working copy up to date with its upstream branch, fast-forward only, the way a long-running watcher must.
/// </summary>
public interface IGitWorkingCopy : IDisposable
{
    /// <summary>Fetches the current branch's upstream and fast-forwards to it; returns HEAD's SHA before and after.</summary>
    /// <exception cref="GitRepositoryException">No upstream, the remote cannot be fetched, or the branch has diverged.</exception>
    (string Before, string After) PullFastForward();

    /// <summary>Whether the working tree under <paramref name="directory"/> matches HEAD (no local edits, no untracked files).</summary>
    bool IsClean(string directory);
}
