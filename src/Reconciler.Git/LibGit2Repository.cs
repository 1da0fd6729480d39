using LibGit2Sharp;

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

    public bool Materialize(string commit, string directory, string destination)
    {
        var tree = Lookup(commit)?.Tree ?? throw new GitRepositoryException($"unknown commit {commit}");
        var path = directory.Trim('/');
        if (path.Length > 0 && path != ".")
        {
            if (tree[path]?.Target is not Tree sub) return false;
            tree = sub;
        }

        Write(tree, destination);
        return true;
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

    /// <summary>
    /// More than any spec or list file may be: the spec loader refuses what is larger, so a huge blob in a pull request
    /// costs no more than this in the temporary directory.
    /// </summary>
    private const long MaxBlobBytes = 16 * 1024 * 1024 + 1;

    private static void CopyBounded(Stream content, Stream file)
    {
        var buffer = new byte[81920];
        long copied = 0;
        int read;
        while (copied < MaxBlobBytes && (read = content.Read(buffer, 0, (int)Math.Min(buffer.Length, MaxBlobBytes - copied))) > 0)
        {
            file.Write(buffer, 0, read);
            copied += read;
        }
    }

    /// <summary>
    /// Blobs become files and symbolic links become links, so the spec loader applies the same rule as on a working
    /// tree (a link that stays inside the specs is followed, one leading out is refused); submodules are left out.
    /// </summary>
    private static void Write(Tree tree, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var entry in tree)
        {
            var target = Path.Combine(destination, entry.Name);
            switch (entry.Target)
            {
                case Tree sub:
                    Write(sub, target);
                    break;
                case Blob blob when entry.Mode is Mode.NonExecutableFile or Mode.ExecutableFile:
                    using (var content = blob.GetContentStream())
                    using (var file = File.Create(target))
                    {
                        CopyBounded(content, file);
                    }

                    break;
                case Blob link when entry.Mode is Mode.SymbolicLink && link.Size <= MaxLinkBytes:
                    try
                    {
                        File.CreateSymbolicLink(target, link.GetContentText());
                    }
                    catch (Exception e) when (e is IOException or ArgumentException)
                    {
                        // A target no file system accepts (a NUL in it) is no path at all: left out, like a submodule.
                    }

                    break;
            }
        }
    }

    /// <summary>Linux's PATH_MAX: a longer link target is not a path and is left out.</summary>
    private const long MaxLinkBytes = 4096;
}
