using System.Text;
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

    /// <summary>A blob written straight into the object database; its SHA.</summary>
    public string Blob(string text)
    {
        using var repo = new Repository(Root);
        return repo.ObjectDatabase.Write<Blob>(Encoding.UTF8.GetBytes(text)).Sha;
    }

    /// <summary>
    /// A tree object written byte for byte, as <c>git hash-object -t tree --literally</c> would: no name is checked, so a
    /// test can hold what git's own tools refuse to make (names with '/', '..', .git, duplicates).
    /// </summary>
    public string RawTree(params (string Mode, string Name, string Sha)[] entries)
    {
        var bytes = new MemoryStream();
        foreach (var (mode, name, sha) in entries)
        {
            bytes.Write(Encoding.ASCII.GetBytes(mode + " "));
            bytes.Write(Encoding.UTF8.GetBytes(name));
            bytes.WriteByte(0);
            bytes.Write(Convert.FromHexString(sha));
        }

        using var repo = new Repository(Root);
        return repo.ObjectDatabase.Write<Tree>(bytes.ToArray()).Sha;
    }

    /// <summary>A commit of <paramref name="tree"/> written byte for byte; its SHA.</summary>
    public string RawCommit(string tree)
    {
        using var repo = new Repository(Root);
        var text = $"tree {tree}\nauthor Test <test@example.org> 0 +0000\ncommitter Test <test@example.org> 0 +0000\n\ncrafted\n";
        return repo.ObjectDatabase.Write<Commit>(Encoding.UTF8.GetBytes(text)).Sha;
    }

    public void Dispose()
    {
        // Git marks pack and object files read-only.
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)) File.SetAttributes(file, FileAttributes.Normal);
        Directory.Delete(Root, recursive: true);
    }
}
