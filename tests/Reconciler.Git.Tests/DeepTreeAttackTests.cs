
using System.Text;
using LibGit2Sharp;

namespace Reconciler.Git.Tests;

/// <summary>
/// Hostile review of issue 15, item 3 (attack, expected to FAIL until fixed): a tree nested thousands of levels deep is
/// a handful of tiny objects, yet GitSpecTree.Index recurses once per level and builds each level's full path, so the
/// controller's stack and memory grow with the depth (quadratically for the paths). MaxEntries counts entries, not depth.
/// Fixed as the class "the size of a pull request's tree is bounded in every dimension before it costs the controller":
/// the walk uses an explicit stack and refuses past <see cref="GitSpecTree.MaxDepth"/> levels, a path longer than
/// PATH_MAX, paths adding up past <see cref="GitSpecTree.MaxTotalPathCharacters"/> and one tree object holding more
/// than <see cref="GitSpecTree.MaxEntries"/> entries — each a one-line error naming the place in the tree.
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
        Assert.Contains($"tree 'specs{string.Concat(Enumerable.Repeat("/d", GitSpecTree.MaxDepth + 1))}' is refused", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData(GitSpecTree.MaxDepth + 1)]
    [InlineData(30_000)] // the reported stack overflow of plan --repo
    public void A_tree_one_level_past_the_cap_or_far_past_it_is_refused_the_same_way(int depth)
    {
        var commit = DeepCommit(depth);
        using var git = GitRepositories.Open(_repo.Root);

        var error = Assert.Throws<GitRepositoryException>(() => git.ReadTree(commit, "specs"));

        Assert.Contains($"is refused: it is nested deeper than {GitSpecTree.MaxDepth} levels below 'specs'; not read", error.Message);
    }

    [Fact]
    public void A_tree_exactly_as_deep_as_the_cap_is_read_to_its_deepest_file()
    {
        var commit = DeepCommit(GitSpecTree.MaxDepth);
        using var git = GitRepositories.Open(_repo.Root);

        var tree = git.ReadTree(commit, "specs")!;

        var deepest = string.Join('/', Enumerable.Repeat("d", GitSpecTree.MaxDepth)) + "/x.yaml";
        Assert.Equal("kind: resources\n", Encoding.UTF8.GetString(tree.Read(deepest, 1024).Bytes!));
    }

    [Fact]
    public void A_path_longer_than_path_max_is_refused_naming_its_start_and_length()
    {
        using var repo = new Repository(_repo.Root);
        var odb = repo.ObjectDatabase;
        var name = new string('n', 250);
        var sha = odb.Write<Tree>(Entry("100644", "x.yaml", odb.Write<Blob>(Encoding.UTF8.GetBytes("x\n"))));
        for (var i = 0; i < 20; i++) sha = odb.Write<Tree>(Entry("40000", name, sha)); // 20 levels, ~5,000 characters
        var commit = Commit(odb, odb.Write<Tree>(Entry("40000", "specs", sha)));
        using var git = GitRepositories.Open(_repo.Root);

        var error = Assert.Throws<GitRepositoryException>(() => git.ReadTree(commit, "specs"));

        Assert.Contains($"tree entry 'specs/{name[..194]}... (", error.Message);
        Assert.Contains($"is refused: its path is longer than {GitSpecTree.MaxPathCharacters} characters", error.Message);
        Assert.True(error.Message.Length < 500, error.Message);
    }

    [Fact]
    public void Paths_adding_up_past_the_cap_are_refused_though_each_is_short_enough()
    {
        using var repo = new Repository(_repo.Root);
        var odb = repo.ObjectDatabase;
        var blob = odb.Write<Blob>(Encoding.UTF8.GetBytes("x\n"));
        // 3,000 files in a directory named with 3,000 characters: each path is legal, together ~9 million characters.
        var files = odb.Write<Tree>([.. Enumerable.Range(0, 3000).OrderBy(i => i.ToString(), StringComparer.Ordinal).SelectMany(i => Entry("100644", $"{i}", blob))]);
        var longName = new string('n', 3000);
        var commit = Commit(odb, odb.Write<Tree>(Entry("40000", "specs", odb.Write<Tree>(Entry("40000", longName, files)))));
        using var git = GitRepositories.Open(_repo.Root);

        var error = Assert.Throws<GitRepositoryException>(() => git.ReadTree(commit, "specs"));

        Assert.Contains($"the paths below 'specs' add up to more than {GitSpecTree.MaxTotalPathCharacters} characters; not read", error.Message);
    }

    [Fact]
    public void One_tree_object_with_more_entries_than_the_cap_is_refused_before_its_entries_are_listed()
    {
        using var repo = new Repository(_repo.Root);
        var odb = repo.ObjectDatabase;
        var blob = odb.Write<Blob>(Encoding.UTF8.GetBytes("x\n"));
        var wide = odb.Write<Tree>([.. Enumerable.Range(0, GitSpecTree.MaxEntries + 1).Select(i => $"{i}").Order(StringComparer.Ordinal).SelectMany(n => Entry("100644", n, blob))]);
        var commit = Commit(odb, odb.Write<Tree>(Entry("40000", "specs", wide)));
        using var git = GitRepositories.Open(_repo.Root);

        var error = Assert.Throws<GitRepositoryException>(() => git.ReadTree(commit, "specs"));

        Assert.Contains($"tree 'specs' is refused: it holds more than {GitSpecTree.MaxEntries} entries; not read", error.Message);
    }

    private static string Commit(ObjectDatabase odb, ObjectId root) =>
        odb.Write<Commit>(Encoding.UTF8.GetBytes($"tree {root.Sha}\nauthor T <t@x> 0 +0000\ncommitter T <t@x> 0 +0000\n\ncrafted\n")).Sha;
}
