using Reconciler.Core.Specs;
using Reconciler.Specs;

namespace Reconciler.Git.Tests;

/// <summary>
/// Issue 15, item 3 — the class "a pull request's git tree makes the controller write or read where it should not":
/// trees are built from raw objects (what git's own tools refuse to make) and read with the adapter. Every malformed
/// name is refused with its path in the tree before anything is read, and nothing is ever written (the adapter has no
/// way to write: trees are served from git objects in memory).
/// </summary>
public sealed class CraftedTreeTests : IDisposable
{
    private const string File = "100644";
    private const string Directory = "40000";
    private const string Link = "120000";

    private readonly TempRepository _repo = new();
    private readonly string _outside = Path.Combine(Path.GetTempPath(), $"reconciler-pwned-{Guid.NewGuid():N}");

    public void Dispose()
    {
        _repo.Dispose();
        if (System.IO.File.Exists(_outside)) System.IO.File.Delete(_outside);
    }

    /// <summary>A commit whose specs directory is <paramref name="specs"/> (a tree SHA), next to an honest README.</summary>
    private string CommitWithSpecs(string specs) =>
        _repo.RawCommit(_repo.RawTree((File, "README.md", _repo.Blob("hi\n")), (Directory, "specs", specs)));

    private GitRepositoryException Refused(string commit)
    {
        using var git = GitRepositories.Open(_repo.Root);
        return Assert.Throws<GitRepositoryException>(() => git.ReadTree(commit, "specs"));
    }

    [Fact]
    public void An_empty_name_which_libgit2_cannot_parse_is_refused_naming_the_tree()
    {
        var commit = CommitWithSpecs(_repo.RawTree((File, "ok.yaml", _repo.Blob("x")), (File, "", _repo.Blob("y"))));

        var error = Refused(commit);

        Assert.StartsWith($"commit {commit[..7]}: tree 'specs' is refused: git cannot parse it (", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    public static TheoryData<string> MalformedNames() =>
    [
        "/tmp/reconciler-pwned", // an absolute path as a name
        "../x",
        "sub/../../x",
        "..",
        ".",
        ".git",
        ".GIT",
        ".Git",
    ];

    [Theory]
    [MemberData(nameof(MalformedNames))]
    public void A_name_git_refuses_is_refused_with_its_path_in_the_tree(string name)
    {
        var payload = _repo.Blob("kind: inventory\n");
        var commit = CommitWithSpecs(_repo.RawTree((File, "ok.yaml", payload), (File, name, payload)));

        var error = Refused(commit);

        Assert.Contains($"tree entry 'specs/{name}' is refused", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_malformed_name_deep_below_the_specs_is_refused_naming_the_whole_path()
    {
        var blob = _repo.Blob("x");
        var inner = _repo.RawTree((File, "..", blob));
        var commit = CommitWithSpecs(_repo.RawTree((Directory, "deeper", _repo.RawTree((Directory, "sub", inner)))));

        Assert.Contains("tree entry 'specs/deeper/sub/..' is refused: the name is '..'", Refused(commit).Message);
    }

    [Fact]
    public void A_link_and_then_a_file_of_the_same_name_are_refused_as_a_duplicate()
    {
        // Written out, the link zz would have been followed by the file zz: a write through the link, anywhere.
        var commit = CommitWithSpecs(_repo.RawTree((Link, "zz", _repo.Blob(_outside)), (File, "zz", _repo.Blob("owned\n"))));

        Assert.Contains("tree entry 'specs/zz' is refused: the name is in its tree twice", Refused(commit).Message);
        Assert.False(System.IO.File.Exists(_outside));
    }

    [Fact]
    public void A_link_and_then_a_directory_of_the_same_name_are_refused_as_a_duplicate()
    {
        var commit = CommitWithSpecs(_repo.RawTree(
            (Link, "zz", _repo.Blob(Path.GetDirectoryName(_outside)!)),
            (Directory, "zz", _repo.RawTree((File, Path.GetFileName(_outside), _repo.Blob("owned\n"))))));

        Assert.Contains("tree entry 'specs/zz' is refused: the name is in its tree twice", Refused(commit).Message);
        Assert.False(System.IO.File.Exists(_outside));
    }

    [Fact]
    public void Two_specs_directories_at_the_root_are_refused_before_either_is_read()
    {
        var one = _repo.RawTree((File, "a.yaml", _repo.Blob("a")));
        var two = _repo.RawTree((File, "b.yaml", _repo.Blob("b")));
        var commit = _repo.RawCommit(_repo.RawTree((Directory, "specs", one), (Directory, "specs", two)));

        Assert.Contains("tree entry 'specs' is refused: the name is in its tree twice", Refused(commit).Message);
    }

    [Fact]
    public void A_mode_that_does_not_match_its_object_is_refused()
    {
        var commit = CommitWithSpecs(_repo.RawTree((Directory, "sub", _repo.Blob("not a tree"))));

        Assert.Contains("tree entry 'specs/sub' is refused: its mode 40000 does not match its object (blob)", Refused(commit).Message);
    }

    [Fact]
    public void A_control_character_in_a_refused_name_is_shown_escaped_on_one_line()
    {
        var commit = CommitWithSpecs(_repo.RawTree((File, "a\u001b[2J\n::error::x/..", _repo.Blob("x"))));

        var message = Refused(commit).Message;

        Assert.Contains(@"specs/a\x1b[2J\n::error::x/..", message);
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain('\u001b', message);
    }

    /// <summary>Links are ordinary entries; the loader resolves them inside the tree, so one leading out is refused unread.</summary>
    [Fact]
    public void Links_leading_out_of_the_specs_are_refused_by_the_loader_and_links_inside_are_followed()
    {
        var inventory = _repo.Blob("""
            kind: inventory
            hosts:
              web1: { address: 192.0.2.21, host_key: "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", identity_file: /k }
            """);
        var resources = _repo.Blob("""
            kind: resources
            target: { group: all }
            files:
              - { path: /etc/a, template: templates/inside.sbn }
              - { path: /etc/b, template: templates/up.sbn }
              - { path: /etc/c, template: templates/absolute.sbn }
              - { path: /etc/d, template: templates/through-dir/x.sbn }
            """);
        var templates = _repo.RawTree(
            (Directory, "real", _repo.RawTree((File, "x.sbn", _repo.Blob("hello {{ host.name }}\n")))),
            (Link, "inside.sbn", _repo.Blob("real/x.sbn")),
            (Link, "up.sbn", _repo.Blob("../../README.md")),
            (Link, "absolute.sbn", _repo.Blob("/etc/passwd")),
            (Link, "through-dir", _repo.Blob("../..")));
        var commit = CommitWithSpecs(_repo.RawTree(
            (File, "inventory.yaml", inventory),
            (Link, "passwd.yaml", _repo.Blob("/etc/passwd")),
            (File, "files.yaml", resources),
            (Directory, "templates", templates)));
        using var git = GitRepositories.Open(_repo.Root);

        var result = new SpecLoader().Load(git.ReadTree(commit, "specs")!, git.Root);

        var text = string.Join("\n", result.Diagnostics);
        Assert.Contains("specs/passwd.yaml:1:1: error RC3015: spec file refused: it is a symbolic link that resolves outside the specs directory", text);
        Assert.Contains("template 'templates/up.sbn' is refused: it leads outside the specs directory ('..')", text);
        Assert.Contains("template 'templates/absolute.sbn' is refused: it is a symbolic link that resolves outside the specs directory", text);
        Assert.Contains("template 'templates/through-dir/x.sbn' is refused: it leads outside the specs directory ('..')", text);
        Assert.DoesNotContain("templates/inside.sbn", text);
        Assert.DoesNotContain("root:", text);
    }

    [Fact]
    public void Reading_a_tree_writes_nothing_in_the_repository()
    {
        var honest = _repo.Write("specs/a.yaml", "kind: inventory\n").Commit("honest");
        var crafted = CommitWithSpecs(_repo.RawTree((File, "../../escaped", _repo.Blob("x"))));
        var before = Snapshot(_repo.Root);
        using (var git = GitRepositories.Open(_repo.Root))
        {
            Assert.NotNull(git.ReadTree(honest, "specs"));
            Assert.Throws<GitRepositoryException>(() => git.ReadTree(crafted, "specs"));
        }

        Assert.Equal(before, Snapshot(_repo.Root));
        Assert.False(System.IO.File.Exists(Path.Combine(_repo.Root, "..", "escaped")));
    }

    private static List<string> Snapshot(string root) =>
        System.IO.Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(p => $"{Path.GetRelativePath(root, p)} {new FileInfo(p).LastWriteTimeUtc.Ticks}")
            .Order(StringComparer.Ordinal)
            .ToList();
}
