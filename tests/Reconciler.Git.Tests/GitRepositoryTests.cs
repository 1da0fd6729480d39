using Reconciler.Core.Model;
using Reconciler.Specs;

namespace Reconciler.Git.Tests;

public sealed class GitRepositoryTests : IDisposable
{
    private readonly TempRepository _repo = new();
    private readonly string _out = Directory.CreateTempSubdirectory("reconciler-git-out-").FullName;

    public void Dispose()
    {
        _repo.Dispose();
        Directory.Delete(_out, recursive: true);
    }

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
        var dir = Path.Combine(_out, commit);
        Assert.True(git.Materialize(commit, "specs", dir));
        var result = new SpecLoader().Load(dir, dir);
        Assert.True(result.State is not null, string.Join("\n", result.Diagnostics));
        return result.State! with { Commit = commit };
    }

    [Fact]
    public void Resolve_materialize_and_count_commits_behind()
    {
        var first = _repo.Write("specs/a.yaml", "one").Write("README.md", "x").Commit("first");
        var second = _repo.Write("specs/sub/b.yaml", "two").Commit("second");
        var third = _repo.Write("specs/a.yaml", "changed").Commit("third");
        using var git = GitRepositories.Open(Path.Combine(_repo.Root, "specs")); // found from a subdirectory

        Assert.Equal(third, git.Resolve("HEAD"));
        Assert.Equal(second, git.Resolve("HEAD~1"));
        Assert.Equal(first, git.Resolve(first[..8]));
        Assert.True(git.Materialize(second, "specs", Path.Combine(_out, "s")));
        Assert.Equal("one", File.ReadAllText(Path.Combine(_out, "s", "a.yaml")));
        Assert.Equal("two", File.ReadAllText(Path.Combine(_out, "s", "sub", "b.yaml")));
        Assert.False(File.Exists(Path.Combine(_out, "s", "README.md")));
        Assert.False(git.Materialize(second, "nope", Path.Combine(_out, "n")));
        Assert.Equal(2, git.CommitsBehind(first, third));
        Assert.Equal(0, git.CommitsBehind(third, third));
        Assert.Null(git.CommitsBehind("0123456789abcdef0123456789abcdef01234567", third));
        Assert.False(git.Contains("0123456789abcdef0123456789abcdef01234567"));
        var e = Assert.Throws<GitRepositoryException>(() => git.Resolve("no-such-branch"));
        Assert.Contains("no-such-branch", e.Message);
    }

    [Fact]
    public void Materialize_reads_the_commit_not_the_working_tree()
    {
        var commit = _repo.Write("specs/a.yaml", "committed").Commit("c");
        _repo.Write("specs/a.yaml", "uncommitted edit");
        using var git = GitRepositories.Open(_repo.Root);

        git.Materialize(commit, "specs", Path.Combine(_out, "c"));

        Assert.Equal("committed", File.ReadAllText(Path.Combine(_out, "c", "a.yaml")));
    }

    [Fact]
    public void Materialize_writes_committed_links_as_links_and_caps_large_blobs()
    {
        _repo.Write("specs/real.sbn", "text");
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "specs", "inside.sbn"), "real.sbn");
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "specs", "outside.sbn"), "/etc/passwd");
        var commit = _repo.Write("specs/big.txt", new string('x', 17 * 1024 * 1024)).Commit("links");
        using var git = GitRepositories.Open(_repo.Root);

        git.Materialize(commit, "specs", Path.Combine(_out, "l"));

        // The spec loader then applies its one rule to them: followed inside the specs, refused when leading out.
        Assert.Equal("real.sbn", new FileInfo(Path.Combine(_out, "l", "inside.sbn")).LinkTarget);
        Assert.Equal("/etc/passwd", new FileInfo(Path.Combine(_out, "l", "outside.sbn")).LinkTarget);
        Assert.Equal(16 * 1024 * 1024 + 1, new FileInfo(Path.Combine(_out, "l", "big.txt")).Length);
    }

    [Fact]
    public void Opening_a_directory_outside_any_repository_says_so()
    {
        var e = Assert.Throws<GitRepositoryException>(() => GitRepositories.Open(_out));

        Assert.Contains("not a git repository", e.Message);
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
