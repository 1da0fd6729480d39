using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources;
using Reconciler.Core.Resources.Firewall;
using Reconciler.Core.Resources.Network;

namespace Reconciler.Core.Tests.Kinds;

/// <summary>
/// Commit-confirm's snapshot and restore are declared once, on the guarded kind; the registry gives every provider of
/// the kind that one guard, and an apply saves a kind's state once however many of its resources change.
/// </summary>
public sealed class KindGuardTests
{
    private static readonly SourceLocation At = new("guard.yaml", 1, 1);

    private static PlannedResource Changed(ProviderRegistry registry, Core.Model.Resource resource)
    {
        var provider = registry.For(resource);
        var change = new ResourceChange(resource.Address, ChangeAction.Update, [], resource.Source);
        return new PlannedResource(resource, provider, null, change) { Guard = registry.GuardOf(provider) };
    }

    [Fact]
    public void A_guarded_kinds_state_is_saved_once_when_several_of_its_resources_change()
    {
        var registry = ResourceKinds.Registry();
        var planned = new[]
        {
            Changed(registry, new BlockSetResource("rc-a-v4", IpFamily.Ipv4, ["192.0.2.1"], At)),
            Changed(registry, new FirewallChainResource(IpFamily.Ipv4, ["-A RECONCILER-INPUT -j DROP"], [], At)),
            Changed(registry, new ArpSettingsResource(1, 2, ["all"], At)),
            Changed(registry, new LoopbackVipResource("192.0.2.100", "lo:0", true, At)),
        };

        var guarded = ChangeApplier.GuardedStates(planned);

        Assert.Equal([new FirewallKind().Guard, new DsrKind().Guard], guarded);
    }

    [Fact]
    public void A_change_that_does_nothing_needs_no_guard()
    {
        var registry = ResourceKinds.Registry();
        var set = new BlockSetResource("rc-a-v4", IpFamily.Ipv4, ["192.0.2.1"], At);
        var noOp = Changed(registry, set) with { Change = ResourceChange.NoOp(set) };

        Assert.Empty(ChangeApplier.GuardedStates([noOp]));
    }

    [Fact]
    public void A_kind_without_a_guard_gives_its_providers_none()
    {
        var registry = ResourceKinds.Registry();

        Assert.Null(registry.GuardOf(registry.For(Support.Res.Sysctl("net.ipv4.tcp_syncookies", "1"))));
    }
}
