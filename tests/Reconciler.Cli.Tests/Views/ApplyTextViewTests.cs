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
        Assert.Contains("outcome UNKNOWN on 1 host(s)", text);
        Assert.DoesNotContain("0 change(s) applied", text);
    }
}
