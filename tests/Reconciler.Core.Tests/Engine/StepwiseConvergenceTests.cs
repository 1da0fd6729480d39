using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Tests.Engine;

/// <summary>
/// A stepwise resource (a DKIM rotation) converges by progress: the read that verifies an apply may show its next step,
/// but only for a resource whose step this apply took; any other change left, or a step that failed, is not converged.
/// </summary>
public sealed class StepwiseConvergenceTests
{
    private static readonly SourceLocation At = new("s.yaml", 1, 1);
    private static readonly ResourceAddress Dkim = new("dkim", "example.test");
    private static readonly ResourceAddress File = new("file", "/etc/x");

    private static ResourceChange Update(ResourceAddress address, bool stepwise) =>
        new(address, ChangeAction.Update, [], At) { Stepwise = stepwise };

    private static HostApplyResult Applied(IReadOnlyList<ResourceOutcome> outcomes, params ResourceChange[] left) =>
        new("h", new HostPlan("h", [Update(Dkim, true)]), outcomes, new HostPlan("h", left));

    [Fact]
    public void The_next_step_of_a_stepwise_resource_whose_step_applied_is_progress()
    {
        var result = Applied([new ResourceOutcome(Dkim, ChangeAction.Update, true)], Update(Dkim, stepwise: true));

        Assert.Empty(result.Unconverged);
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void A_change_left_that_is_not_stepwise_or_whose_step_failed_is_not_converged()
    {
        Assert.False(Applied([new ResourceOutcome(Dkim, ChangeAction.Update, true)], Update(File, stepwise: false)).Succeeded);
        Assert.False(Applied([new ResourceOutcome(Dkim, ChangeAction.Update, false, "boom")], Update(Dkim, stepwise: true)).Succeeded);
        Assert.Single(Applied([], Update(Dkim, stepwise: true)).Unconverged);
    }
}
