using LibGit2Sharp;

namespace Reconciler.Git;

/// <summary><see cref="IGitWorkingCopy"/> over LibGit2Sharp: fetch, then a fast-forward-only merge of the upstream.</summary>
internal sealed class LibGit2WorkingCopy(Repository repository) : IGitWorkingCopy
{
    private static readonly Signature Watcher = new("reconciler watch", "reconciler@localhost", DateTimeOffset.UnixEpoch);

    public (string Before, string After) PullFastForward()
    {
        var before = repository.Head.Tip?.Sha ?? throw new GitRepositoryException("the working copy has no commits");
        var upstream = repository.Head.TrackedBranch
            ?? throw new GitRepositoryException($"branch {repository.Head.FriendlyName} has no upstream to pull from");
        try
        {
            var remote = repository.Network.Remotes[upstream.RemoteName];
            Commands.Fetch(repository, remote.Name, remote.FetchRefSpecs.Select(r => r.Specification), new FetchOptions(), null);
            var tip = repository.Head.TrackedBranch.Tip;
            if (tip is null || tip.Sha == before || repository.ObjectDatabase.FindMergeBase(tip, repository.Head.Tip)?.Sha == tip.Sha)
            {
                return (before, before); // nothing new upstream, or we are ahead of it
            }

            // Never a merge commit: a watcher that merged would apply a state nobody reviewed.
            repository.Merge(repository.Head.TrackedBranch, Watcher, new MergeOptions { FastForwardStrategy = FastForwardStrategy.FastForwardOnly });
            return (before, repository.Head.Tip!.Sha);
        }
        catch (NonFastForwardException)
        {
            throw new GitRepositoryException($"{repository.Head.FriendlyName} has diverged from {upstream.FriendlyName}; not pulling (fast-forward only)");
        }
        catch (LibGit2SharpException e)
        {
            throw new GitRepositoryException($"pulling {upstream.FriendlyName} failed: {e.Message}", e);
        }
    }

    public bool IsClean(string directory)
    {
        var root = repository.Info.WorkingDirectory;
        var relative = Path.GetRelativePath(root, Path.GetFullPath(directory)).Replace('\\', '/');
        var prefix = relative == "." ? "" : relative.TrimEnd('/') + "/";
        return !repository.RetrieveStatus(new StatusOptions { IncludeUntracked = true })
            .Any(e => e.State != FileStatus.Ignored && e.FilePath.StartsWith(prefix, StringComparison.Ordinal));
    }

    public void Dispose() => repository.Dispose();
}
