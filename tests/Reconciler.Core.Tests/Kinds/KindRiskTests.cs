using Reconciler.Core.Plans;
using Reconciler.Core.Resources;
using Reconciler.Core.Resources.Firewall;
using Reconciler.Core.Resources.Network;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Kinds;

/// <summary>
/// A kind's risk (what every change of it can do besides itself) is declared once, on the kind, and reaches each
/// host-changing change through the registry the engine runs with; the plan's warnings read it from the change.
/// </summary>
public sealed class KindRiskTests
{
    private static readonly Diagnostics.SourceLocation At = new("dsr.yaml", 1, 1);

    [Fact]
    public void The_guarded_kinds_declare_their_risk_and_the_others_none()
    {
        var risks = ResourceKinds.All.ToDictionary(k => k.GetType().Name, k => k.Risk);

        Assert.Equal(ChangeEffects.TouchesNetworkInterfaces, risks[nameof(DsrKind)]);
        Assert.Equal(ChangeEffects.TouchesFirewall, risks[nameof(FirewallKind)]);
        Assert.All(risks.Where(r => r.Key is not nameof(DsrKind) and not nameof(FirewallKind)), r => Assert.Equal(ChangeEffects.None, r.Value));
    }

    [Fact]
    public void The_registry_adds_the_kinds_risk_to_a_change_that_touches_the_host()
    {
        var registry = ResourceKinds.Registry();
        var arp = new ArpSettingsResource(1, 2, ["all", "lo"], At);
        var provider = registry.For(arp);
        var observed = SysctlSections.Parse(provider, [arp], ArpFacts(0))[0];

        var change = registry.Diff(provider, arp, observed);

        Assert.Equal(ChangeAction.Create, change.Action);
        Assert.Equal(ChangeEffects.TouchesNetworkInterfaces, change.Effects);
    }

    [Fact]
    public void A_change_that_does_nothing_carries_no_risk()
    {
        var registry = ResourceKinds.Registry();
        var set = new BlockSetResource("rc-a-v4", IpFamily.Ipv4, ["192.0.2.1"], At);
        var provider = registry.For(set);
        var inSync = new BlockSetObserved(true, "hash:net", "inet", new HashSet<string> { "192.0.2.1" }, new HashSet<string> { "192.0.2.1" }, true);

        var change = registry.Diff(provider, set, inSync);

        Assert.Equal(ChangeAction.NoOp, change.Action);
        Assert.Equal(ChangeEffects.None, change.Effects);
    }

    [Fact]
    public void A_kind_without_a_risk_adds_none()
    {
        var registry = ResourceKinds.Registry();
        var sysctl = Res.Sysctl("net.ipv4.tcp_syncookies", "1");

        var change = registry.Diff(registry.For(sysctl), sysctl, SysctlSections.Observe(registry.For(sysctl), sysctl, "L\t0\t0"));

        Assert.True(change.Action.ChangesHost());
        Assert.Equal(ChangeEffects.None, change.Effects);
    }

    /// <summary>conf.all and conf.lo arp_ignore/arp_announce all live at <paramref name="value"/>, nothing persisted.</summary>
    private static string[] ArpFacts(int value) => ["L\t0\t" + value, "L\t1\t" + value, "L\t2\t" + value, "L\t3\t" + value];
}
