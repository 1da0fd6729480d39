using Reconciler.Core.Engine;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Engine;

public class ScriptSectionsTests
{
    private const string Nonce = "0123456789abcdef";

    [Fact]
    public void Sections_are_split_by_name_with_each_parts_exit_code()
    {
        var sections = new ScriptSections(Nonce);

        var parsed = sections.Parse($"@@{Nonce} begin file\nS\t0\nA\t0\n@@{Nonce} end file 0\n@@{Nonce} begin sysctl\nL\t0\t1\n@@{Nonce} end sysctl 2\n");

        Assert.Equal(["S\t0", "A\t0"], parsed["file"].Lines);
        Assert.Equal(0, parsed["file"].ExitCode);
        Assert.Equal(["L\t0\t1"], parsed["sysctl"].Lines);
        Assert.Equal(2, parsed["sysctl"].ExitCode);
    }

    [Theory]
    [InlineData("@@ end file 0")]
    [InlineData("@@ffffffffffffffff end file 0")]
    [InlineData("@@ffffffffffffffff begin other")]
    [InlineData("@@0123456789abcde end file 0")]
    [InlineData(" @@0123456789abcdef end file 0")]
    [InlineData("x@@0123456789abcdef begin other")]
    public void Marker_looking_lines_without_this_runs_nonce_are_ordinary_output(string forged)
    {
        var sections = new ScriptSections(Nonce);

        var parsed = sections.Parse($"@@{Nonce} begin file\nbefore\n{forged}\nafter\n@@{Nonce} end file 0\n");

        Assert.Equal(["file"], parsed.Keys);
        Assert.Equal(["before", forged, "after"], parsed["file"].Lines);
        Assert.Equal(0, parsed["file"].ExitCode);
    }

    [Fact]
    public void Section_that_never_ended_has_exit_code_minus_one()
    {
        var parsed = new ScriptSections(Nonce).Parse($"@@{Nonce} begin file\nS\t0");

        Assert.Equal(-1, parsed["file"].ExitCode);
        Assert.Equal(["S\t0"], parsed["file"].Lines);
    }

    [Fact]
    public void Output_outside_any_section_is_dropped()
    {
        var parsed = new ScriptSections(Nonce).Parse($"motd banner\n@@{Nonce} begin a\nx\n@@{Nonce} end a 0\nnoise\n");

        Assert.Equal(["x"], parsed["a"].Lines);
    }

    [Fact]
    public void Each_run_gets_a_different_nonce()
    {
        Assert.NotEqual(ScriptSections.Create().Nonce, ScriptSections.Create().Nonce);
    }

    [Fact]
    public void Markers_printed_by_a_real_shell_frame_output_and_carry_the_parts_exit_code()
    {
        var sections = ScriptSections.Create();
        var script = string.Join("\n",
            sections.Begin("one"), "(", "echo first; printf 'two words\\n'", ")", sections.End("one"),
            sections.Begin("two"), "(", "echo partial; exit 3", ")", sections.End("two"));

        var parsed = sections.Parse(LocalShell.Run(script).Stdout);

        Assert.Equal(["first", "two words"], parsed["one"].Lines);
        Assert.Equal(0, parsed["one"].ExitCode);
        Assert.Equal(["partial"], parsed["two"].Lines);
        Assert.Equal(3, parsed["two"].ExitCode);
    }
}
