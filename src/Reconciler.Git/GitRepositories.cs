using LibGit2Sharp;

namespace Reconciler.Git;

/// <summary>Opens the repository holding a directory; the one public way in to the adapter.</summary>
public static class GitRepositories
{
    /// <exception cref="GitRepositoryException">No git repository contains <paramref name="path"/>.</exception>
    public static IGitRepository Open(string path) => new LibGit2Repository(OpenRepository(path));

    /// <summary>The working copy containing <paramref name="path"/>, for pulling (watch mode).</summary>
    /// <exception cref="GitRepositoryException">No git repository contains <paramref name="path"/>.</exception>
    public static IGitWorkingCopy OpenWorkingCopy(string path) => new LibGit2WorkingCopy(OpenRepository(path));

    /// <summary>Whether <paramref name="path"/> is the top of a git working copy.</summary>
    public static bool IsWorkingCopy(string path) => Repository.IsValid(Path.GetFullPath(path));

    private static Repository OpenRepository(string path)
    {
        var found = Repository.Discover(Path.GetFullPath(path));
        if (found is null)
        {
            throw new GitRepositoryException($"{path}: not a git repository (or any parent up to the root)");
        }

        try
        {
            return new Repository(found);
        }
        catch (LibGit2SharpException e)
        {
            throw new GitRepositoryException($"{path}: cannot open the git repository: {e.Message}", e);
        }
    }
}
