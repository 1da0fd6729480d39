using LibGit2Sharp;

namespace Reconciler.Git.Tests;

/// <summary>A real git repository in a temp directory: write files, commit, get the SHA back.</summary>
internal sealed class TempRepository : IDisposable
{
    private static readonly Signature Author = new("Test", "test@example.org", DateTimeOffset.UnixEpoch);

    public TempRepository()
    {
        Root = Directory.CreateTempSubdirectory("reconciler-git-tests-").FullName;
        Repository.Init(Root);
    }

    public string Root { get; }

    public TempRepository Write(string path, string text)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return this;
    }

    public TempRepository Delete(string path)
    {
        File.Delete(Path.Combine(Root, path));
        return this;
    }

    public string Commit(string message)
    {
        using var repo = new Repository(Root);
        Commands.Stage(repo, "*");
        return repo.Commit(message, Author, Author, new CommitOptions { AllowEmptyCommit = true }).Sha;
    }

    public void Dispose()
    {
        // Git marks pack and object files read-only.
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)) File.SetAttributes(file, FileAttributes.Normal);
        Directory.Delete(Root, recursive: true);
    }
}
