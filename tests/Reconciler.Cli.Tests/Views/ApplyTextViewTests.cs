using Reconciler.Cli.Views;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Tests.Views;

/// <summary>How apply's outcome reads on the terminal when the engine could not learn it (the engine's half is ConnectionLossEngineTests).</summary>
public sealed class ApplyTextViewTests
{
    [Fact]
    public void A_host_whose_connection_was_lost_during_apply_reads_unknown_never_zero_changes_applied()
    {
        var result = new ApplyResult([new HostApplyResult("h", new HostPlan("h", []), [], null)
        {
            Unknown = "h: connection lost: the host did not answer a liveness probe within 10s",
        }]);

        var text = ApplyTextView.Render(result, Styles.Plain);

        Assert.Contains("h: UNKNOWN: connection lost during apply: h: connection lost: the host did not answer a liveness probe within 10s", text);
        Assert.Contains("Apply: 1 host(s): 0 succeeded, 1 UNKNOWN; the UNKNOWN host(s) lost their connection during apply", text);
        Assert.DoesNotContain("0 change(s) applied", text);
    }

    /// <summary>Issue 21: three of four hosts unreachable once read "1 of 4 host(s) succeeded, … 0 failed".</summary>
    [Fact]
    public void Every_host_is_counted_once_by_how_it_ended_and_the_counts_add_up()
    {
        static HostApplyResult Unreachable(string h) => new(h, new HostPlan(h, [], "cannot connect"), [], null, "cannot connect");
        var ok = new HostApplyResult("a", new HostPlan("a", []), [new ResourceOutcome(new("file", "/etc/motd"), ChangeAction.Update, true, null)], new HostPlan("a", []));
        var refused = new HostApplyResult("e", new HostPlan("e", []), [], null, "re-plan: file[/x] changed") { Refused = "re-plan: file[/x] changed" };
        var interrupted = new HostApplyResult("f", new HostPlan("f", []), [], null, "interrupted") { Interrupted = "interrupted" };
        var failed = new HostApplyResult("g", new HostPlan("g", []), [new ResourceOutcome(new("file", "/etc/x"), ChangeAction.Update, false, "boom")], new HostPlan("g", []));
        var result = new ApplyResult([ok, Unreachable("b"), Unreachable("c"), Unreachable("d"), refused, interrupted, failed]);

        var summary = ApplyTextView.Summary(result);

        Assert.Equal("Apply: 7 host(s): 1 succeeded, 1 failed, 3 unreachable, 1 refused, 1 interrupted; 1 change(s) applied, 1 failed.", summary);
        var counted = System.Text.RegularExpressions.Regex.Matches(summary.Split(';')[0].Split(':')[1], @"(\d+) ").Sum(m => int.Parse(m.Groups[1].Value));
        Assert.Equal(result.Hosts.Count, counted);
        Assert.Contains("b: unreachable: cannot connect", ApplyTextView.Render(result, Styles.Plain));
        Assert.Contains("e: refused: re-plan: file[/x] changed", ApplyTextView.Render(result, Styles.Plain));
    }
}
