using Reconciler.Cli.Views;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Tests.Views;

/// <summary>Issue 21: drift's console is text from the same rows and counts as drift.md, and a live-only line reads as live.</summary>
public sealed class DriftTextViewTests
{
    [Fact]
    public void The_console_prints_text_with_the_same_counts_as_the_markdown_report()
    {
        var plan = SamplePlans.AllActions();

        var text = DriftTextView.Render(plan, Styles.Plain);
        var markdown = DriftMarkdownView.Render(plan, SamplePlans.GeneratedAt);

        Assert.DoesNotContain("|---", text);
        Assert.DoesNotContain("| Host |", text);
        var sentence = DriftCounts.Of(plan).Sentence(HostFindings.Monitored(plan));
        Assert.Contains(sentence, text);
        Assert.Contains(sentence, markdown);
        Assert.All(plan.Hosts, h => Assert.Contains($"{h.Host}: {DriftRows.Status(h)}", text));
    }

    [Fact]
    public void A_line_only_the_host_has_reads_as_live_not_as_removed()
    {
        var change = new ResourceChange(new ResourceAddress("file", "/etc/motd"), ChangeAction.Update,
            [new AttributeChange(new AttributeName("content"), PlanValue.Of("welcome\nhacked by hand\n"), PlanValue.Of("welcome\nbe nice\n"))],
            new SourceLocation("specs/all/motd.yaml", 3, 5));
        var plan = new Plan([new HostPlan("web1", [change])]);

        var text = DriftTextView.Render(plan, Styles.Plain);

        Assert.Contains("live only:     hacked by hand", text);
        Assert.Contains("declared only: be nice", text);
        Assert.DoesNotContain("-hacked by hand", text);
        Assert.Contains("live only:     hacked by hand", string.Join("\n", DriftRows.Of(plan.Hosts[0]).SelectMany(r => r.Detail)));
    }
}
