using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Permissions;
using Reconciler.Core.Tests.Support;
using static Reconciler.Core.Tests.Support.ProviderHarness;

namespace Reconciler.Core.Tests.Shell;

/// <summary>
/// Runs PermissionsProvider's real find-based read and apply scripts with /bin/sh against a tree in a temp directory
/// (as root, so chattr works), then reads again to prove convergence.
/// </summary>
public sealed class PermissionsShellTests : IDisposable
{
    private static readonly SourceLocation At = new("specs/all/file-protection.yaml", 9, 5);
    private readonly IResourceProvider _provider = new PermissionsProvider();
    private readonly TempDir _dir = new();
    private readonly TempDir _outside = new();

    public PermissionsShellTests()
    {
        // tree/            0775  offender
        //   a              0664  offender
        //   plain          0644
        //   open           0666  offender; only g-w goes
        //   sub/           0775  offender
        //     b            0620  offender
        //   keep/          0775  excluded in some tests, with everything under it
        //     k            0664
        //   link        -> outside/target (0664): never changed, chmod would follow it
        Directory.CreateDirectory(_dir["tree/sub"]);
        Directory.CreateDirectory(_dir["tree/keep"]);
        foreach (var f in new[] { "tree/a", "tree/plain", "tree/open", "tree/sub/b", "tree/keep/k" })
        {
            File.WriteAllText(_dir[f], "x");
        }

        File.WriteAllText(_outside["target"], "x");
        File.CreateSymbolicLink(_dir["tree/link"], _outside["target"]);
        Chmod("775", "tree", "tree/sub", "tree/keep");
        Chmod("664", "tree/a", "tree/keep/k");
        Chmod("644", "tree/plain");
        Chmod("666", "tree/open");
        Chmod("620", "tree/sub/b");
        LocalShell.Run($"chmod 664 {Q(_outside["target"])}");
    }

    public void Dispose()
    {
        _dir.Dispose();
        _outside.Dispose();
    }

    private static string Q(string path) => "'" + path.Replace("'", "'\\''") + "'";

    private void Chmod(string mode, params string[] paths)
    {
        foreach (var p in paths) LocalShell.Run($"chmod {mode} {Q(_dir[p])}");
    }

    private string Mode(string path) => LocalShell.Run($"stat -c %a -- {Q(path)}").Stdout.Trim();

    private PermissionsResource Tree(string remove = "g-w", bool recursive = true, params string[] exclude) =>
        new(_dir["tree"], recursive, remove, exclude.Select(e => _dir[e]).ToList(), At);

    [Fact]
    public void Read_finds_offenders_but_not_links_or_excluded_subtrees()
    {
        var observed = (PermissionsObserved)Assert.Single(ReadLive(_provider, [Tree(exclude: "tree/keep")]));

        Assert.True(observed.Exists);
        Assert.Equal(5, observed.Offenders);
        Assert.Equal(
            new[] { "tree", "tree/a", "tree/open", "tree/sub", "tree/sub/b" }.Select(p => _dir[p]).Order(),
            observed.Sample.Order());
    }

    [Fact]
    public void Names_in_a_directory_local_users_cannot_list_are_counted_but_not_shown()
    {
        Chmod("770", "tree/sub");

        var (_, change) = PlanLive(_provider, Tree(exclude: "tree/keep"));

        var before = Assert.IsType<PlanValue.Text>(Assert.Single(change.Attributes).Before).Value;
        Assert.StartsWith("5 file(s): ", before);
        Assert.DoesNotContain("sub/b", before);
        Assert.Contains(_dir["tree/sub"], before); // the directory itself is listed in tree/, which others can read
        Assert.EndsWith("1 not shown (local users cannot list their directory)", before);
    }

    [Fact]
    public void Read_reports_a_missing_path_as_missing()
    {
        var observed = Assert.Single(ReadLive(_provider, [new PermissionsResource(_dir["nope"], true, "g-w", [], At)]));

        Assert.Equal(PermissionsObserved.Missing, observed);
    }

    [Fact]
    public void Apply_clears_only_the_named_bits_and_leaves_links_and_excludes_alone()
    {
        var change = Converge(_provider, Tree(exclude: "tree/keep"));

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal("755", Mode(_dir["tree"]));
        Assert.Equal("644", Mode(_dir["tree/a"]));
        Assert.Equal("644", Mode(_dir["tree/plain"]));
        Assert.Equal("646", Mode(_dir["tree/open"]));
        Assert.Equal("755", Mode(_dir["tree/sub"]));
        Assert.Equal("600", Mode(_dir["tree/sub/b"]));
        Assert.Equal("775", Mode(_dir["tree/keep"]));
        Assert.Equal("664", Mode(_dir["tree/keep/k"]));
        Assert.Equal("664", Mode(_outside["target"]));
    }

    [Fact]
    public void Apply_without_recursion_changes_the_path_itself_only()
    {
        Converge(_provider, Tree(recursive: false));

        Assert.Equal("755", Mode(_dir["tree"]));
        Assert.Equal("664", Mode(_dir["tree/a"]));
    }

    [Fact]
    public void Apply_with_several_clauses_clears_each()
    {
        Converge(_provider, Tree("g-w,o-w"));

        Assert.Equal("644", Mode(_dir["tree/open"]));
        Assert.Equal("644", Mode(_dir["tree/keep/k"]));
    }

    [Fact]
    public void Apply_handles_names_with_quotes_and_newlines()
    {
        var odd = _dir["tree/it's\nodd"];
        File.WriteAllText(odd, "x");
        LocalShell.Run($"chmod 664 {Q(odd)}");

        var (observed, _) = PlanLive(_provider, Tree(exclude: "tree/keep"));
        Assert.Contains(odd, ((PermissionsObserved)observed).Sample);
        Converge(_provider, Tree(exclude: "tree/keep"));

        Assert.Equal("644", Mode(odd));
    }

    [Fact]
    public void Apply_unlocks_an_immutable_offender_and_locks_it_again()
    {
        LocalShell.Run($"chattr +i {Q(_dir["tree/a"])}");

        Converge(_provider, Tree(exclude: "tree/keep"));

        Assert.Equal("644", Mode(_dir["tree/a"]));
        Assert.StartsWith("----i", LocalShell.Run($"lsattr -d -- {Q(_dir["tree/a"])}").Stdout);
    }
}
