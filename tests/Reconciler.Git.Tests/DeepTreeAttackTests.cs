
using System.Text;
using LibGit2Sharp;

namespace Reconciler.Git.Tests;

/// <summary>
/// Hostile review of issue 15, item 3 (attack, expected to FAIL until fixed): a tree nested thousands of levels deep is
/// a handful of tiny objects, yet GitSpecTree.Index recurses once per level and builds each level's full path, so the
/// controller's stack and memory grow with the depth (quadratically for the paths). MaxEntries counts entries, not depth.
/// </summary>
public sealed class DeepTreeAttackTests : IDisposable
{
    private readonly TempRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private string DeepCommit(int depth)
    {
        using var repo = new Repository(_repo.Root);
        var odb = repo.ObjectDatabase;
        var blob = odb.Write<Blob>(Encoding.UTF8.GetBytes("kind: resources\n"));
        var sha = odb.Write<Tree>(Entry("100644", "x.yaml", blob));
        for (var i = 0; i < depth; i++)
        {
            sha = odb.Write<Tree>(Entry("40000", "d", sha));
        }

        var root = odb.Write<Tree>(Entry("40000", "specs", sha));
        var text = $"tree {root.Sha}\nauthor T <t@x> 0 +0000\ncommitter T <t@x> 0 +0000\n\ndeep\n";
        return odb.Write<Commit>(Encoding.UTF8.GetBytes(text)).Sha;
    }

    private static byte[] Entry(string mode, string name, ObjectId id) =>
        [.. Encoding.ASCII.GetBytes($"{mode} {name}\0"), .. id.RawId];

    [Fact]
    public void A_tree_thousands_of_levels_deep_is_refused_with_a_clear_error_not_read_level_by_level()
    {
        var commit = DeepCommit(depth: int.Parse(Environment.GetEnvironmentVariable("RC_ATTACK_DEPTH") ?? "3000"));
        using var git = GitRepositories.Open(_repo.Root);
        
        var error = Assert.Throws<GitRepositoryException>(() => git.ReadTree(commit, "specs"));
        Assert.Contains("deep", error.Message);
    }
}
