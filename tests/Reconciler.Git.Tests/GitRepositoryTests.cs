using Reconciler.Core.Model;
using Reconciler.Core.Specs;
using Reconciler.Specs;

namespace Reconciler.Git.Tests;

public sealed class GitRepositoryTests : IDisposable
{
    private readonly TempRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private const string Inventory = """
        kind: inventory
        groups:
          dsr: { variables: { note: NOTE } }
          mail: { variables: { note: mail note } }
        hosts:
          web1: { address: 192.0.2.21, host_key: "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", identity_file: /k, groups: [dsr] }
          web2: { address: 192.0.2.22, host_key: "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", identity_file: /k, groups: [dsr] }
          mail1: { address: 192.0.2.31, host_key: "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", identity_file: /k, groups: [mail] }
        """;

    private const string Banner = """
        kind: resources
        target: { group: all }
        files:
          - path: /etc/issue.net
            template: issue.net.sbn
        """;

    private DesiredState Load(IGitRepository git, string commit)
    {
        var tree = git.ReadTree(commit, "specs");
        Assert.NotNull(tree);
        var result = new SpecLoader().Load(tree, git.Root);
        Assert.True(result.State is not null, string.Join("\n", result.Diagnostics));
        return result.State! with { Commit = commit };
    }

    private static string Text(ISpecTree tree, string path) => System.Text.Encoding.UTF8.GetString(tree.Read(path, 1024).Bytes!);

    [Fact]
    public void Resolve_read_a_commit_tree_and_count_commits_behind()
    {
        var first = _repo.Write("specs/a.yaml", "one").Write("README.md", "x").Commit("first");
        var second = _repo.Write("specs/sub/b.yaml", "two").Commit("second");
        var third = _repo.Write("specs/a.yaml", "changed").Commit("third");
        using var git = GitRepositories.Open(Path.Combine(_repo.Root, "specs")); // found from a subdirectory

        Assert.Equal(third, git.Resolve("HEAD"));
        Assert.Equal(second, git.Resolve("HEAD~1"));
        Assert.Equal(first, git.Resolve(first[..8]));
        var tree = git.ReadTree(second, "specs")!;
        Assert.Equal(Path.Combine(_repo.Root, "specs"), tree.Location);
        Assert.Equal(["a.yaml", "sub"], tree.Names(""));
        Assert.Equal("one", Text(tree, "a.yaml"));
        Assert.Equal("two", Text(tree, "sub/b.yaml"));
        Assert.Equal(SpecTreeEntry.Directory, tree.EntryAt("sub"));
        Assert.Equal(SpecTreeEntry.Missing, tree.EntryAt("README.md"));
        Assert.Null(git.ReadTree(second, "nope"));
        Assert.Equal(2, git.CommitsBehind(first, third));
        Assert.Equal(0, git.CommitsBehind(third, third));
        Assert.Null(git.CommitsBehind("0123456789abcdef0123456789abcdef01234567", third));
        Assert.False(git.Contains("0123456789abcdef0123456789abcdef01234567"));
        var e = Assert.Throws<GitRepositoryException>(() => git.Resolve("no-such-branch"));
        Assert.Contains("no-such-branch", e.Message);
    }

    [Fact]
    public void A_commit_tree_is_the_commit_not_the_working_tree()
    {
        var commit = _repo.Write("specs/a.yaml", "committed").Commit("c");
        _repo.Write("specs/a.yaml", "uncommitted edit");
        using var git = GitRepositories.Open(_repo.Root);

        Assert.Equal("committed", Text(git.ReadTree(commit, "specs")!, "a.yaml"));
    }

    [Fact]
    public void Committed_links_stay_links_and_large_blobs_are_read_no_further_than_the_bound()
    {
        _repo.Write("specs/real.sbn", "text");
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "specs", "inside.sbn"), "real.sbn");
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "specs", "outside.sbn"), "/etc/passwd");
        var commit = _repo.Write("specs/big.txt", new string('x', 17 * 1024 * 1024)).Commit("links");
        using var git = GitRepositories.Open(_repo.Root);

        var tree = git.ReadTree(commit, "specs")!;

        // The spec loader then applies its one rule to them: followed inside the specs, refused when leading out.
        Assert.Equal(SpecTreeEntry.SymbolicLink, tree.EntryAt("inside.sbn"));
        Assert.Equal("real.sbn", tree.LinkTarget("inside.sbn"));
        Assert.Equal("/etc/passwd", tree.LinkTarget("outside.sbn"));
        Assert.Equal((null, 17 * 1024 * 1024), tree.Read("big.txt", 16 * 1024 * 1024));
    }

    [Fact]
    public void Opening_a_directory_outside_any_repository_says_so()
    {
        var outside = Directory.CreateTempSubdirectory("reconciler-git-none-").FullName;
        try
        {
            var e = Assert.Throws<GitRepositoryException>(() => GitRepositories.Open(outside));

            Assert.Contains("not a git repository", e.Message);
        }
        finally
        {
            Directory.Delete(outside);
        }
    }

    [Fact]
    public void A_group_variable_changed_between_base_and_head_affects_every_member_only()
    {
        _repo.Write("specs/inventory.yaml", Inventory.Replace("NOTE", "old note"))
            .Write("specs/banner.yaml", Banner)
            .Write("specs/issue.net.sbn", "{{ note }} on {{ host.name }}\n");
        var baseCommit = _repo.Commit("base");
        _repo.Write("specs/inventory.yaml", Inventory.Replace("NOTE", "new note"));
        var head = _repo.Commit("head: change the dsr group's variable");
        using var git = GitRepositories.Open(_repo.Root);

        var affected = AffectedHosts.Compare(Load(git, baseCommit), Load(git, head));

        Assert.Equal(["web1", "web2"], affected.Changed);
        Assert.Equal(["mail1"], affected.Unchanged);
    }

    [Fact]
    public void A_host_added_and_one_removed_between_base_and_head()
    {
        _repo.Write("specs/inventory.yaml", Inventory).Write("specs/banner.yaml", Banner).Write("specs/issue.net.sbn", "hi {{ host.name }}\n");
        var baseCommit = _repo.Commit("base");
        _repo.Write("specs/inventory.yaml", Inventory.Replace("mail1:", "mail2:"));
        var head = _repo.Commit("head");
        using var git = GitRepositories.Open(_repo.Root);

        var affected = AffectedHosts.Compare(Load(git, baseCommit), Load(git, head));

        Assert.Equal(["mail2"], affected.Affected);
        Assert.Equal(["mail1"], affected.Removed);
        Assert.Equal(["web1", "web2"], affected.Unchanged);
    }
}
