using LibGit2Sharp;

namespace Reconciler.Git;

/// <summary>Opens the repository holding a directory; the one public way in to the adapter.</summary>
public static class GitRepositories
{
    /// <exception cref="GitRepositoryException">No git repository contains <paramref name="path"/>.</exception>
    public static IGitRepository Open(string path)
    {
        var found = Repository.Discover(Path.GetFullPath(path));
        if (found is null)
        {
            throw new GitRepositoryException($"{path}: not a git repository (or any parent up to the root)");
        }

        try
        {
            return new LibGit2Repository(new Repository(found));
        }
        catch (LibGit2SharpException e)
        {
            throw new GitRepositoryException($"{path}: cannot open the git repository: {e.Message}", e);
        }
    }
}
