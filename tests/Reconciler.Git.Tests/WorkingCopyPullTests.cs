using LibGit2Sharp;

namespace Reconciler.Git.Tests;

/// <summary>Watch mode's pull: a real upstream repository and a real clone of it.</summary>
public sealed class WorkingCopyPullTests : IDisposable
{
    private readonly TempRepository _upstream = new();
    private readonly string _clone = Path.Combine(Path.GetTempPath(), "reconciler-git-clone-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _upstream.Dispose();
        if (!Directory.Exists(_clone)) return;
        foreach (var file in Directory.EnumerateFiles(_clone, "*", SearchOption.AllDirectories)) File.SetAttributes(file, FileAttributes.Normal);
        Directory.Delete(_clone, recursive: true);
    }

    [Fact]
    public void Pull_fast_forwards_to_the_upstream_and_reports_both_heads()
    {
        var first = _upstream.Write("specs/a.yaml", "kind: resources\n").Commit("first");
        Repository.Clone(_upstream.Root, _clone);
        var second = _upstream.Write("specs/a.yaml", "kind: resources # changed\n").Commit("second");

        using var copy = GitRepositories.OpenWorkingCopy(_clone);
        var (before, after) = copy.PullFastForward();

        Assert.Equal(first, before);
        Assert.Equal(second, after);
        Assert.Equal("kind: resources # changed\n", File.ReadAllText(Path.Combine(_clone, "specs/a.yaml")));
        Assert.True(copy.IsClean(Path.Combine(_clone, "specs")));
        Assert.Equal((second, second), copy.PullFastForward()); // nothing new: no change
    }

    [Fact]
    public void A_diverged_working_copy_is_not_merged_and_says_why()
    {
        _upstream.Write("specs/a.yaml", "one\n").Commit("first");
        Repository.Clone(_upstream.Root, _clone);
        _upstream.Write("specs/a.yaml", "upstream\n").Commit("upstream change");
        using (var local = new Repository(_clone))
        {
            File.WriteAllText(Path.Combine(_clone, "specs/b.yaml"), "local\n");
            Commands.Stage(local, "*");
            var me = new Signature("Local", "local@example.org", DateTimeOffset.UnixEpoch);
            local.Commit("local change", me, me);
        }

        using var copy = GitRepositories.OpenWorkingCopy(_clone);
        var error = Assert.Throws<GitRepositoryException>(() => copy.PullFastForward());

        Assert.Contains("has diverged from origin/", error.Message);
        Assert.False(File.Exists(Path.Combine(_clone, "specs/a.yaml.orig")));
        Assert.Equal("one\n", File.ReadAllText(Path.Combine(_clone, "specs/a.yaml")));
    }

    [Fact]
    public void Local_edits_under_the_specs_make_the_working_copy_unclean()
    {
        _upstream.Write("specs/a.yaml", "one\n").Commit("first");
        Repository.Clone(_upstream.Root, _clone);
        using var copy = GitRepositories.OpenWorkingCopy(_clone);

        File.WriteAllText(Path.Combine(_clone, "specs/a.yaml"), "edited\n");

        Assert.False(copy.IsClean(Path.Combine(_clone, "specs")));
        Assert.True(copy.IsClean(Path.Combine(_clone, "other")));
    }
}
