using Reconciler.Cli.GitHubActions;
using Reconciler.Cli.Views;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Tests.Views;

/// <summary>
/// Issue 15: every text that reaches a terminal or a workflow log passes one inert writer, so escaping is a property
/// of the writer, not of call sites. First the writer's rules, then one test per channel class through the real CLI
/// in-process (App wraps its writers): a view, a feature's error path, the command line's own errors (an exception's
/// message), and the log.
/// </summary>
public sealed class InertWriterTests
{
    /// <summary>What a hostile host or error text carries: escapes, CR, BEL, bidi override, and workflow commands.</summary>
    private const string Hostile = "boom\u001b[2J\u001b]0;title\u0007\r::error::fake\n  ::add-mask::x\n\u202eevil";

    private static string Through(params string[] writes)
    {
        var sink = new StringWriter();
        using (var writer = new InertTextWriter(sink))
        {
            foreach (var w in writes) writer.Write(w);
        }

        return sink.ToString();
    }

    [Fact]
    public void Controls_are_shown_visibly_and_no_line_starts_a_workflow_command()
    {
        var shown = Through(Hostile);

        Assert.Empty(LiveMarkup.InConsole(shown));
        Assert.Equal("boom\\x1b[2J\\x1b]0;title\\x07\\r::error::fake\n  \\x3a:add-mask::x\n\\u202eevil", shown);
    }

    [Fact]
    public void A_flush_of_blanks_and_marks_leaves_the_line_start_open_so_a_later_command_is_still_escaped()
    {
        var sink = new StringWriter();
        using (var writer = new InertTextWriter(sink))
        {
            writer.Write("  " + TerminalMarkup.CursorDown(1));
            writer.Flush();
            writer.Write("::error::fake\n");
        }

        Assert.Equal("  \u001b[1B\\x3a:error::fake\n", sink.ToString());
    }

    [Fact]
    public void Only_the_cursor_movements_the_tool_composes_are_honoured()
    {
        var shown = Through(TerminalMarkup.CursorUp(2) + TerminalMarkup.EraseLine + "x" + TerminalMarkup.Token + "[2J" + TerminalMarkup.Token + "[5;5H");

        Assert.StartsWith("\u001b[2A\u001b[2Kx", shown);
        Assert.DoesNotContain("\u001b[2J", shown);
        Assert.DoesNotContain("\u001b[5;5H", shown);
    }

    [Fact]
    public void A_workflow_command_split_over_writes_is_still_escaped()
    {
        Assert.Equal("  \\x3a:error::x\n\\x3a:y", Through("  :", ":error::x\n", ":", ":y"));
        Assert.Equal("a ::b\n", Through("a ", "::b\n"));
    }

    [Fact]
    public void Escaping_twice_changes_nothing()
    {
        var once = Through(Hostile);
        Assert.Equal(once, Through(once));
    }

    [Fact]
    public void Only_the_tools_own_marks_become_colours_and_workflow_commands()
    {
        var styled = new Styles(true).Error("failed");
        var command = WorkflowCommand.Format("error", [("file", "a.yaml")], "bad\n::warning::x");

        var shown = Through(styled, "\n", command, "\n", "::error::forged\n", "\ue000[31mforged mark\n");

        Assert.StartsWith("\u001b[31;1mfailed\u001b[0m\n::error file=a.yaml::bad%0A::warning::x\n\\x3a:error::forged\n", shown);
        Assert.DoesNotContain("\u001b[31m", shown);
        Assert.Single(shown.Split('\n'), l => l.StartsWith("::", StringComparison.Ordinal));
    }

    [Fact]
    public void View_channel_the_apply_view_shows_a_verifying_read_error_inert()
    {
        // A host whose apply succeeded but whose verifying read failed: outcomes, and the error of the fresh read.
        var planned = new HostPlan("web1", [new ResourceChange(new ResourceAddress("file", "/etc/motd"), ChangeAction.Update, [], new("a.yaml", 1, 1))]);
        var result = new ApplyResult([new HostApplyResult("web1", planned,
            [new ResourceOutcome(new ResourceAddress("file", "/etc/motd"), ChangeAction.Update, true, null)], null, Hostile)]);

        var view = ApplyTextView.Render(result, Styles.Plain);

        Assert.Empty(LiveMarkup.InConsole(view));
        Assert.Contains("boom\\x1b[2J", view);
    }

    private static async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await App.RunAsync(args, new Terminal(stdout, stderr, Colour: false, Interactive: false), null, default, _ => null, []);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Feature_error_channel_a_message_quoting_its_input_is_inert()
    {
        var (exit, stdout, stderr) = await RunAsync("validate", "--specs", "/nonexistent/" + Hostile);

        Assert.Equal(1, exit);
        Assert.Contains("boom\\x1b[2J", stderr);
        Assert.Empty(LiveMarkup.InConsole(stdout + stderr));
    }

    [Fact]
    public async Task Exception_message_channel_the_command_lines_own_errors_are_inert()
    {
        var (exit, stdout, stderr) = await RunAsync("plan", "--no-such-option" + Hostile);

        Assert.NotEqual(0, exit);
        Assert.Contains("\\x1b[2J", stdout + stderr);
        Assert.Empty(LiveMarkup.InConsole(stdout + stderr));
    }

    [Fact]
    public void Log_channel_log_lines_go_through_the_runs_guarded_stderr()
    {
        var stderr = new StringWriter();
        var terminal = new Terminal(new StringWriter(), new InertTextWriter(stderr), false, false);
        using var provider = new TerminalLoggerProvider(terminal, TimeProvider.System);

        Microsoft.Extensions.Logging.LoggerExtensions.LogError(provider.CreateLogger("Reconciler.Cli.Features.Watch.WatchCycle"), "Cycle 1: {Error}", Hostile);

        Assert.Empty(LiveMarkup.InConsole(stderr.ToString()));
        Assert.Contains("fail: Reconciler.Cli.Features.Watch.WatchCycle[0] Cycle 1: boom\\x1b[2J", stderr.ToString());
        Assert.Single(stderr.ToString().TrimEnd('\n').Split('\n'));
    }
}
