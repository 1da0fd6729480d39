using LibGit2Sharp;
using Reconciler.Core.Specs;

namespace Reconciler.Git;

/// <summary><see cref="IGitRepository"/> over LibGit2Sharp: objects are read from the object database, never checked out.</summary>
internal sealed class LibGit2Repository(Repository repository) : IGitRepository
{
    public string Root => repository.Info.WorkingDirectory?.TrimEnd(Path.DirectorySeparatorChar) ?? repository.Info.Path;

    public string Resolve(string revision)
    {
        try
        {
            var found = repository.Lookup(revision)?.Peel<Commit>();
            return found?.Sha ?? throw new GitRepositoryException($"unknown revision '{revision}': no such commit in {Root}");
        }
        catch (LibGit2SharpException e)
        {
            throw new GitRepositoryException($"unknown revision '{revision}': {e.Message}", e);
        }
    }

    public bool Contains(string sha) => Lookup(sha) is not null;

    public ISpecTree? ReadTree(string commit, string directory)
    {
        var found = Lookup(commit) ?? throw new GitRepositoryException($"unknown commit {commit}");
        var path = directory.Trim('/');
        try
        {
            return GitSpecTree.Open(repository.ObjectDatabase, found, path == "." ? "" : path, path is "" or "." ? Root : Path.Join(Root, path));
        }
        catch (LibGit2SharpException e)
        {
            throw new GitRepositoryException($"commit {found.Sha[..7]}: its tree cannot be read: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    public int? CommitsBehind(string commit, string head)
    {
        var from = Lookup(commit);
        var to = Lookup(head) ?? throw new GitRepositoryException($"unknown commit {head}");
        if (from is null) return null;
        var filter = new CommitFilter { IncludeReachableFrom = to, ExcludeReachableFrom = from };
        return repository.Commits.QueryBy(filter).Count();
    }

    public void Dispose() => repository.Dispose();

    private Commit? Lookup(string sha)
    {
        try
        {
            return repository.Lookup(sha)?.Peel<Commit>();
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }
}
