using Reconciler.Cli.GitHubActions;
using Reconciler.Cli.Views;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Tests.Views;

/// <summary>
/// Host and spec text carrying Markdown, HTML, workflow commands and escape sequences, through every view and medium:
/// each rendering shows the text but nothing in it acts (checked by parsing the Markdown, not by searching strings).
/// </summary>
public sealed class InertTextTests
{
    /// <summary>What a hostile host can put in a file, an error or its state file.</summary>
    private const string Hostile =
        "hi @octocat ![img](http://evil.test/x.png) [click](http://evil.test) <script>alert(1)</script> <img src=x> " +
        "``` `code` | pipe \u001b[2J\u001b]0;title\u0007 \u202eevil\u202c %0A::warning::fake www.evil.test";

    private static readonly DateTimeOffset Now = new(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);

    private static Plan HostilePlan()
    {
        var at = new SourceLocation("specs/hostile.yaml", 3, 5);
        var content = $"first\n::error::injected\n  ::set-output name=x::y\n```\n{Hostile}\n</details>\n<!-- x -->\n";
        return new Plan(
        [
            new HostPlan("web1",
            [
                new ResourceChange(new ResourceAddress("file", "/etc/motd"), ChangeAction.Update,
                    [AttributeChange.Of(new("content"), content, "first\n::error::injected\nwelcome\n"), AttributeChange.Of(new("owner"), Hostile, "root")], at),
                new ResourceChange(new ResourceAddress("file", "/etc/issue"), ChangeAction.Blocked, [], at, $"is a {Hostile} on this host"),
            ]) { Applied = new AppliedState("0123456789abcdef0123456789abcdef01234567", Hostile, Hostile) },
            new HostPlan("web2", [], $"reading file facts failed: {Hostile}\n::error::second line"),
        ]);
    }

    private static void NothingLive(string markdown)
    {
        Assert.Empty(LiveMarkup.InMarkdown(markdown));
        Assert.Empty(LiveMarkup.InConsole(markdown));
        Assert.Contains("@octocat", markdown); // shown, not hidden
    }

    [Fact]
    public void Plan_comment_shows_hostile_text_with_nothing_live()
    {
        var comment = PlanCommentView.Render(HostilePlan());

        NothingLive(comment);
        Assert.Contains("Error: ````reading file facts failed: hi @octocat ![img](http://evil.test/x.png)", comment);
        Assert.Contains("\\x1b[2J", comment);
    }

    [Fact]
    public void Plan_markdown_drift_markdown_and_drift_issue_show_hostile_text_with_nothing_live()
    {
        NothingLive(PlanMarkdownView.Render(HostilePlan()));
        NothingLive(DriftMarkdownView.Render(HostilePlan(), Now));
        var issue = DriftIssueView.Body(HostilePlan().Hosts[0] with { Applied = new AppliedState("`@admin ![x](http://evil.test/y.png)", null, null) }, Now, null);
        NothingLive(issue.Replace("@admin", "@octocat"));
        Assert.Contains("``", issue); // the commit sits in a code span longer than its backtick run
        NothingLive(DriftIssueView.ChangedComment(new HostPlan(Hostile, []), null));
    }

    [Fact]
    public void Drift_html_report_encodes_hostile_text_and_shows_controls()
    {
        var html = DriftHtmlView.Render(HostilePlan(), Now);

        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain('\u001b', html);
        Assert.DoesNotContain('\u202e', html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("\\x1b[2J", html);
    }

    [Fact]
    public void Console_views_show_controls_visibly_and_no_line_starts_a_workflow_command()
    {
        var plan = HostilePlan();
        var text = PlanTextView.Render(plan, Styles.Plain);
        var apply = ApplyTextView.Render(new ApplyResult(
        [
            new HostApplyResult("web1", plan.Hosts[0], [new ResourceOutcome(new ResourceAddress("file", "/etc/motd"), ChangeAction.Update, false, Hostile + "\n::error::x")], null),
            new HostApplyResult("web2", plan.Hosts[1], [], null, plan.Hosts[1].Error),
        ]), Styles.Plain);

        foreach (var output in new[] { text, apply, PlanMarkdownView.Render(plan), DriftMarkdownView.Render(plan, Now) })
        {
            Assert.Empty(LiveMarkup.InConsole(output));
        }

        Assert.Contains("\\x3a:error::injected", text);
        Assert.Contains("\\x1b[2J\\x1b]0;title\\x07 \\u202eevil\\u202c", text);
    }

    [Fact]
    public void Coloured_console_output_keeps_its_own_colours_and_shows_the_hosts_escapes()
    {
        var text = Terminal(PlanTextView.Render(HostilePlan(), new Styles(true)));

        Assert.Contains("\u001b[1mweb1\u001b[0m", text);
        Assert.DoesNotContain("\u001b[2J", text);
        Assert.DoesNotContain("\u001b]0;", text);
    }

    [Theory]
    [InlineData("a`b", "``a`b``")]
    [InlineData("`edge`", "`` `edge` ``")]
    [InlineData("x|y", "`x\\|y`")]
    [InlineData("", "`\"\"`")]
    [InlineData("two\nlines\r", "`two\\nlines\\r`")]
    public void Markdown_cells_are_code_spans_that_their_content_cannot_close(string text, string cell) =>
        Assert.Equal(cell, MarkdownText.Cell(text));

    /// <summary>
    /// Class: an attribute's name may carry outside text too — the dkim kind names one line per nameserver, whose name a
    /// hostile zone chooses (DNS escapes controls and spaces, not Markdown) — and a deleted part's name is in the
    /// destructive-change warning. Every medium keeps it as inert as a value.
    /// </summary>
    [Fact]
    public void Attribute_names_from_a_nameserver_are_inert_in_every_medium()
    {
        var at = new SourceLocation("specs/mail/35-dkim.yaml", 3, 5);
        var plan = new Plan(
        [
            new HostPlan("mail1",
            [
                new ResourceChange(new ResourceAddress("dkim", "example.test"), ChangeAction.Update,
                [
                    AttributeChange.Of(new($"s2026b @ {Hostile} (192.0.2.9)"), "does not serve it", "serves this key (SHA256:x)"),
                    new AttributeChange(new($"{Hostile}.record"), PlanValue.Of("x"), new PlanValue.Deleted()),
                ], at, $"waiting: {Hostile} is unreachable for s2026b yet") { Effects = ChangeEffects.DeletesData },
            ]),
        ]);

        NothingLive(PlanCommentView.Render(plan));
        NothingLive(PlanMarkdownView.Render(plan));
        NothingLive(DriftMarkdownView.Render(plan, Now));
        NothingLive(DriftIssueView.Body(plan.Hosts[0], Now, null).Replace("@admin", "@octocat"));
        var html = DriftHtmlView.Render(plan, Now);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain('\u001b', html);
        Assert.Empty(LiveMarkup.InConsole(Terminal(PlanTextView.Render(plan, Styles.Plain))));
    }

    [Fact]
    public void Markdown_fence_is_longer_than_any_backtick_run_in_the_block() =>
        Assert.Equal("`````", MarkdownText.Fence(["a", "b ```` c", "``"]));

    [Fact]
    public void Workflow_command_escapes_data_and_properties_as_the_runner_unescapes_them()
    {
        var line = WorkflowCommand.Format("error",
            [("file", "specs/a,b:c.yaml"), ("line", "3")],
            "bad 100%\r\n::warning::x \u001b[31m");

        Assert.Equal("::error file=specs/a%2Cb%3Ac.yaml,line=3::bad 100%25%0D%0A::warning::x \\x1b[31m", Terminal(line));
        Assert.Single(line.Split('\n'));
    }

    [Fact]
    public void Terminal_line_guard_escapes_a_leading_workflow_command_even_when_indented()
    {
        Assert.Equal("    \\x3a:error::x", TerminalText.Line("    ::error::x"));
        Assert.Equal("a ::error::x", TerminalText.Line("a ::error::x"));
        Assert.Equal("\\r\\n::x", TerminalText.Inline("\r\n::x"));
    }

    /// <summary>What reaches the console: the view's text through the run's inert writer, which turns the marks into codes.</summary>
    private static string Terminal(string text)
    {
        var sink = new StringWriter();
        using (var writer = new InertTextWriter(sink)) writer.Write(text);
        return sink.ToString();
    }
}
