using Reconciler.Cli.Views;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Tests.Views;

/// <summary>
/// Colour, hunk headers and redrawn progress on a person's terminal; plain text everywhere else (NO_COLOR, TERM=dumb,
/// output piped), and apply showing each change as plan does.
/// </summary>
public sealed class ConsoleStyleTests
{
    private const string Esc = "\u001b";

    private static readonly Terminal.Streams Console = new(TextWriter.Null, TextWriter.Null, new StringReader(""));

    private static Terminal From(bool outIsTerminal = true, bool errorIsTerminal = true, bool inIsTerminal = true, string? term = "xterm-256color", string? noColor = null) =>
        Terminal.From(Console, outIsTerminal, errorIsTerminal, inIsTerminal, name => name switch { "TERM" => term, "NO_COLOR" => noColor, _ => null });

    [Fact]
    public void A_terminal_gets_colour_progress_and_questions()
    {
        var terminal = From();

        Assert.True(terminal.Colour);
        Assert.True(terminal.Interactive);
        Assert.Same(Console.In, terminal.Answers);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("false")] // any value but empty, as no-color.org says
    public void NO_COLOR_turns_colour_off_but_keeps_the_redrawn_progress(string value)
    {
        var terminal = From(noColor: value);

        Assert.False(terminal.Colour);
        Assert.True(terminal.Interactive);
    }

    [Fact]
    public void An_empty_NO_COLOR_is_not_set()
    {
        Assert.True(From(noColor: "").Colour);
    }

    [Fact]
    public void TERM_dumb_gets_neither_colour_nor_cursor_movement()
    {
        var terminal = From(term: "dumb");

        Assert.False(terminal.Colour);
        Assert.False(terminal.Interactive);
    }

    [Fact]
    public void Output_that_is_not_a_terminal_is_plain()
    {
        var terminal = From(outIsTerminal: false);

        Assert.False(terminal.Colour);
        Assert.False(terminal.Interactive);
    }

    [Fact]
    public void Input_that_is_not_a_terminal_cannot_be_asked()
    {
        Assert.Null(From(inIsTerminal: false).Answers);
    }

    [Fact]
    public void Plan_text_colours_added_lines_green_removed_red_and_hunk_headers_cyan()
    {
        var shown = Shown(PlanTextView.Render(MotdPlan(), new Styles(true)));

        Assert.Contains($"      {Esc}[36m  @@ -5,4 +5,4 @@{Esc}[0m\n", shown);
        Assert.Contains($"      {Esc}[31m  -line 7{Esc}[0m\n", shown);
        Assert.Contains($"      {Esc}[32m  +LINE 7{Esc}[0m\n", shown);
        // Context lines and one-line values keep the terminal's own colour.
        Assert.Contains("\n         line 5\n", shown);
        Assert.Contains("\n      mode: 0644 → 0600\n", shown);
    }

    [Fact]
    public void Plan_text_without_colour_has_no_escape_at_all()
    {
        var shown = Shown(PlanTextView.Render(MotdPlan(), Styles.Plain));

        Assert.DoesNotContain(Esc, shown);
        Assert.Contains("\n        @@ -5,4 +5,4 @@\n         line 5\n         line 6\n        -line 7\n        +LINE 7\n         line 8\n", shown);
    }

    [Fact]
    public void Apply_text_shows_each_applied_change_with_its_diff_as_plan_does_and_never_a_secret()
    {
        var planned = MotdPlan().Hosts[0];
        var result = new ApplyResult([new HostApplyResult("web-1", planned,
        [
            new ResourceOutcome(new("file", "/etc/motd"), ChangeAction.Update, true),
            new ResourceOutcome(new("file", "/etc/app/token"), ChangeAction.Update, true),
        ], planned with { Changes = [] })]);

        var text = ApplyTextView.Render(result, Styles.Plain);
        var plan = PlanTextView.Render(MotdPlan(), Styles.Plain);

        var motd = string.Join("\n", PlanTextView.AttributeText(planned.Changes[0], Styles.Plain));
        Assert.Contains("  ✓ update file[/etc/motd]\n" + motd + "\n", text.ReplaceLineEndings("\n"));
        Assert.Contains(motd, plan.ReplaceLineEndings("\n"));
        Assert.Contains("  ✓ update file[/etc/app/token]\n      content: (sensitive value changed)\n", text.ReplaceLineEndings("\n"));
        Assert.DoesNotContain(SamplePlans.Secret, text);
    }

    [Fact]
    public void Progress_is_silent_when_nobody_watches()
    {
        var error = new StringWriter();
        var progress = new ProgressView(new Terminal(TextWriter.Null, new InertTextWriter(error), false, Interactive: false));

        progress.Report(new HostProgress("a", HostStage.Connecting));
        progress.Report(new HostProgress("a", HostStage.Done));

        Assert.Equal("", error.ToString());
    }

    [Fact]
    public void Progress_keeps_one_line_per_host_and_redraws_a_host_s_line_in_place()
    {
        var error = new StringWriter();
        var progress = new ProgressView(new Terminal(TextWriter.Null, new InertTextWriter(error), false, Interactive: true));

        progress.Report(new HostProgress("a", HostStage.Connecting));
        progress.Report(new HostProgress("b", HostStage.Connecting));
        progress.Report(new HostProgress("a", HostStage.Reading));
        progress.Report(new HostProgress("b", HostStage.Reading));
        progress.Report(new HostProgress("a", HostStage.Done));

        Assert.Equal(
            "  [a] connecting…\n" +
            "  [b] connecting…\n" +
            $"{Esc}[2A{Esc}[2K  [a] reading facts…\n{Esc}[1B" +
            $"{Esc}[1A{Esc}[2K  [b] reading facts…\n" +
            $"{Esc}[2A{Esc}[2K  [a] done\n{Esc}[1B",
            error.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_host_name_cannot_move_the_cursor_itself()
    {
        var error = new StringWriter();
        var progress = new ProgressView(new Terminal(TextWriter.Null, new InertTextWriter(error), false, Interactive: true));

        progress.Report(new HostProgress("a\u001b[5Ab", HostStage.Connecting));

        Assert.DoesNotContain($"{Esc}[5A", error.ToString());
    }

    private static Plan MotdPlan()
    {
        static ResourceChange Change(string name, params AttributeChange[] attributes) =>
            new(new("file", name), ChangeAction.Update, attributes, new SourceLocation("resources/web.yaml", 3, 5));
        return new Plan([new HostPlan("web-1",
        [
            Change("/etc/motd",
                AttributeChange.Of(new("content"), "line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\n", "line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nLINE 7\nline 8\n"),
                AttributeChange.Of(new("mode"), "0644", "0600")),
            Change("/etc/app/token", AttributeChange.Of(new("content"), $"old {SamplePlans.Secret}\n", $"new {SamplePlans.Secret}\n").SecretIf(true)),
        ])]);
    }

    /// <summary>What a terminal receives: the run's writer turns the views' colour marks into escape sequences.</summary>
    private static string Shown(string text)
    {
        var output = new StringWriter();
        using (var writer = new InertTextWriter(output)) writer.Write(text);
        return output.ToString().ReplaceLineEndings("\n");
    }
}
