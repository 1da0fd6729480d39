using System.Text;
using Reconciler.Core.Facts;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Facts;

/// <summary>The glob expansion's answer grammar (<see cref="GlobPaths"/>): hostile names, the cap, zero matches, malformed answers.</summary>
public sealed class GlobPathsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string B64(string name) => Convert.ToBase64String(Encoding.UTF8.GetBytes(name));

    [Fact]
    public void Names_with_newlines_tabs_spaces_and_leading_dashes_come_back_whole_with_their_records()
    {
        string[] names = ["/home/new\nline", "/home/tab\tname", "/home/-dash x", "/home/a'$(touch x)"];
        var lines = new List<string> { $"G\t0\t{names.Length}" };
        for (var i = 0; i < names.Length; i++)
        {
            lines.Add($"M\t{i}\t0\t{B64(names[i])}");
            lines.Add($"N\t{i}");
        }

        var answer = Assert.Single(GlobPaths.Parse("file glob", lines, 1));

        Assert.Null(answer.Refused);
        Assert.Equal(names, answer.Matches.Select(m => m.Path));
        Assert.All(answer.Matches, m => Assert.Equal("N", Assert.Single(m.Records)[0]));
    }

    [Fact]
    public void The_cap_record_refuses_the_glob_with_the_count_and_other_globs_keep_their_matches()
    {
        var answers = GlobPaths.Parse("file glob", ["G\t0\tcap\t10001", "G\t1\t1", $"M\t0\t1\t{B64("/srv/a")}"], 2);

        Assert.Equal("more than 10000 paths match (the host counted 10001); declare a narrower pattern", answers[0].Refused);
        Assert.Equal(["/srv/a"], answers[1].Matches.Select(m => m.Path));
    }

    [Fact]
    public void Zero_matches_and_no_answer_at_all_are_no_matches()
    {
        Assert.Empty(Assert.Single(GlobPaths.Parse("u", ["G\t0\t0"], 1)).Matches);
        Assert.Empty(Assert.Single(GlobPaths.Parse("u", [], 1)).Matches);
    }

    [Fact]
    public void A_name_that_is_not_utf8_refuses_the_glob_instead_of_naming_another_path()
    {
        var answer = Assert.Single(GlobPaths.Parse("u", ["G\t0\t1", $"M\t0\t0\t{Convert.ToBase64String([(byte)'/', 0xff])}"], 1));

        Assert.Empty(answer.Matches);
        Assert.Equal("1 matching path(s) have a name that is not UTF-8 text; rename them or narrow the pattern", answer.Refused);
    }

    [Theory]
    [InlineData("G\t0\t1")] // counted one, named none
    [InlineData("G\t0\t1\nM\t0\t0\tnot-base64!")]
    [InlineData("G\t0\t1\nM\t0\t0\tcmVsYXRpdmU=")] // "relative": not absolute
    [InlineData("G\t0\t1\nM\t0\t3\tL2E=")] // a glob not read
    [InlineData("G\t0\t1\nN\t1")] // a record for a match never counted
    [InlineData("G\t0\t1\nG\t0\t1\nM\t0\t0\tL2E=")] // counted twice
    [InlineData("G\t0\tmany")]
    public void A_malformed_answer_is_the_hosts_error(string answer)
    {
        Assert.Throws<MalformedFactsException>(() => GlobPaths.Parse("u", answer.Split('\n'), 1));
    }

    [Fact]
    public void The_expansion_runs_in_sh_quoting_the_pattern_skipping_dot_entries_and_excludes()
    {
        foreach (var name in new[] { "a b", "-dash", "new\nline", ".hidden", "skip-me" })
        {
            Directory.CreateDirectory(Path.Combine(_dir.Path, name));
        }

        var dir = GlobPaths.Escape(_dir.Path);
        var query = GlobPaths.Query("u", [new GlobRead(dir + "/*", [dir + "/skip*"], "printf 'N\\t0\\n'"), new GlobRead(dir + "/.*", [], ":"), new GlobRead(dir + "/none*", [], ":")], "");
        var result = LocalShell.Run(query.Script);

        Assert.Equal(0, result.ExitCode);
        var answers = GlobPaths.Parse("u", LocalShell.Lines(result.Stdout), 3);
        Assert.Equal(["-dash", "a b", "new\nline"], answers[0].Matches.Select(m => Path.GetFileName(m.Path)).Order(StringComparer.Ordinal));
        Assert.All(answers[0].Matches, m => Assert.Equal("N", Assert.Single(m.Records)[0]));
        Assert.Equal([".hidden"], answers[1].Matches.Select(m => Path.GetFileName(m.Path)));
        Assert.Empty(answers[2].Matches);
    }
}
