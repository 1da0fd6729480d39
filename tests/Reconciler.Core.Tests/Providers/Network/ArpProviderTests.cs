using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources;
using Reconciler.Core.Resources.Network;
using Reconciler.Core.Tests.Support;
using static Reconciler.Core.Tests.Support.ProviderHarness;

namespace Reconciler.Core.Tests.Providers.Network;

/// <summary>
/// Fact lines as the ARP read prints them (it is the sysctl read over synthetic keys, in the order
/// all/arp_ignore, all/arp_announce, then each interface's two): <c>L\tINDEX\tvalue</c> live,
/// <c>P\tnet/ipv4/conf/NAME/PARAM\tFILE\tvalue</c> persisted, <c>Z</c> when our own file exists.
/// </summary>
public sealed class ArpProviderTests
{
    private static readonly SourceLocation At = new("dsr.yaml", 4, 3);
    private readonly IResourceProvider _provider = new ArpProvider();
    private const string Ours = ArpSettingsResource.PersistFile;

    // Written as one list, answered in the sections the host prints them in (SysctlSections).
    private static ResourceChange Diff(IResourceProvider provider, Resource resource, params string[] lines) => SysctlSections.Diff(provider, resource, lines);

    private static object Observe(IResourceProvider provider, Resource resource, params string[] lines) => SysctlSections.Observe(provider, resource, lines);

    private static ArpSettingsResource Arp(params string[] interfaces) => new(1, 2, interfaces, At);

    /// <summary>Live values for all then lo: (ignore, announce) each.</summary>
    private static string[] Live(int allIgnore, int allAnnounce, int loIgnore, int loAnnounce) =>
        [$"L\t0\t{allIgnore}", $"L\t1\t{allAnnounce}", $"L\t2\t{loIgnore}", $"L\t3\t{loAnnounce}"];

    private static string[] PersistedSeed() =>
    [
        $"P\tnet/ipv4/conf/all/arp_ignore\t{Ours}\t1\t1", $"P\tnet/ipv4/conf/all/arp_announce\t{Ours}\t1\t2",
        $"P\tnet/ipv4/conf/lo/arp_ignore\t{Ours}\t1\t1", $"P\tnet/ipv4/conf/lo/arp_announce\t{Ours}\t1\t2", "Z",
    ];

    [Fact]
    public void Blank_host_plans_a_create_with_effective_values_and_the_persisted_file()
    {
        var change = Diff(_provider, Arp("all", "lo"), Live(0, 0, 0, 0));

        Assert.Equal(ChangeAction.Create, change.Action);
        Assert.Equal(ChangeEffects.None, change.Effects); // the kind adds its risk (KindRiskTests)
        Assert.Equal(
            [
                AttributeChange.Of(new("arp_ignore on all"), "0", "1"),
                AttributeChange.Of(new("persisted arp_ignore on all"), null, $"1 ({Ours})"),
                AttributeChange.Of(new("effective arp_ignore on lo"), "0 (all=0, lo=0)", "1"),
                AttributeChange.Of(new("persisted effective arp_ignore on lo"), "0 (all=unset, lo=unset)", $"1 ({Ours})"),
                AttributeChange.Of(new("arp_announce on all"), "0", "2"),
                AttributeChange.Of(new("persisted arp_announce on all"), null, $"2 ({Ours})"),
                AttributeChange.Of(new("effective arp_announce on lo"), "0 (all=0, lo=0)", "2"),
                AttributeChange.Of(new("persisted effective arp_announce on lo"), "0 (all=unset, lo=unset)", $"2 ({Ours})"),
            ],
            change.Attributes);
    }

    [Fact]
    public void A_reset_interface_value_covered_by_conf_all_is_not_drift()
    {
        var change = Diff(_provider, Arp("all", "lo"), [.. Live(1, 2, 0, 0), .. PersistedSeed()]);

        Assert.Equal(ChangeAction.NoOp, change.Action);
    }

    [Fact]
    public void A_lowered_conf_all_covered_by_the_interface_value_is_not_drift_when_all_is_not_listed()
    {
        string[] persisted = [$"P\tnet/ipv4/conf/lo/arp_ignore\t{Ours}\t1\t1", $"P\tnet/ipv4/conf/lo/arp_announce\t{Ours}\t1\t2", "Z"];
        var change = Diff(_provider, Arp("lo"), [.. Live(0, 0, 1, 2), .. persisted]);

        Assert.Equal(ChangeAction.NoOp, change.Action);
    }

    [Fact]
    public void A_reset_interface_value_with_conf_all_at_zero_is_drift_on_the_effective_value()
    {
        string[] persisted = [$"P\tnet/ipv4/conf/lo/arp_ignore\t{Ours}\t1\t1", $"P\tnet/ipv4/conf/lo/arp_announce\t{Ours}\t1\t2", "Z"];
        var change = Diff(_provider, Arp("lo"), [.. Live(0, 0, 0, 2), .. persisted]);

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal([AttributeChange.Of(new("effective arp_ignore on lo"), "0 (all=0, lo=0)", "1")], change.Attributes);
    }

    [Fact]
    public void A_lowered_conf_all_is_drift_when_all_is_listed()
    {
        var change = Diff(_provider, Arp("all", "lo"), [.. Live(0, 2, 1, 2), .. PersistedSeed()]);

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal([AttributeChange.Of(new("arp_ignore on all"), "0", "1")], change.Attributes);
    }

    [Fact]
    public void An_unmanaged_conf_all_above_the_declared_value_is_blocked_with_the_reason()
    {
        var change = Diff(_provider, Arp("lo"), Live(2, 2, 1, 2));

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Equal("net.ipv4.conf.all.arp_ignore is 2 (live), above the declared 1; the kernel uses the larger value on every interface, so list 'all' in interfaces to manage it", change.Note);
    }

    [Fact]
    public void A_later_sysctl_file_lowering_conf_all_at_boot_is_persisted_drift()
    {
        string[] persisted = [.. PersistedSeed(), "P\tnet/ipv4/conf/all/arp_ignore\t/etc/sysctl.d/zzz-local.conf\t1\t0"];
        var change = Diff(_provider, Arp("all", "lo"), [.. Live(1, 2, 1, 2), .. persisted]);

        Assert.Equal(
            [AttributeChange.Of(new("persisted arp_ignore on all"), "0 (/etc/sysctl.d/zzz-local.conf)", $"1 ({Ours})")],
            change.Attributes);
    }

    [Fact]
    public void A_missing_interface_is_blocked()
    {
        var change = Diff(_provider, Arp("all", "eth9"), "L\t0\t0", "L\t1\t0");

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Contains("no interface 'eth9'", change.Note);
    }

    [Fact]
    public void Apply_sets_every_listed_key_live_then_writes_one_sysctl_file()
    {
        var resource = Arp("all", "eth0.100");
        var observed = Observe(_provider, resource, "L\t0\t0", "L\t1\t0", "L\t2\t0", "L\t3\t0");
        var script = _provider.ApplyScript(resource, observed, _provider.Diff(resource, observed));

        Assert.Contains("printf '%s\\n' 1 > '/proc/sys/net/ipv4/conf/all/arp_ignore'", script);
        Assert.Contains("printf '%s\\n' 2 > '/proc/sys/net/ipv4/conf/eth0.100/arp_announce'", script);
        var write = script.IndexOf("rc_write '/etc/sysctl.d/zz-reconciler-dsr-arp.conf'", StringComparison.Ordinal);
        Assert.True(write > script.LastIndexOf("/proc/sys/", StringComparison.Ordinal), "live values come before the persisted file");
        var base64 = script[(write + "rc_write '/etc/sysctl.d/zz-reconciler-dsr-arp.conf' '".Length)..].Split('\'')[0];
        Assert.Equal(
            "# Managed by reconciler (dsr.arp); local edits are overwritten.\n" +
            "# The kernel uses max(conf.all, conf.IFACE) for these keys; a DSR VIP on lo must not answer ARP.\n" +
            "net.ipv4.conf.all.arp_ignore = 1\nnet.ipv4.conf.all.arp_announce = 2\n" +
            "net/ipv4/conf/eth0.100/arp_ignore = 1\nnet/ipv4/conf/eth0.100/arp_announce = 2\n",
            Reconciler.Core.Shell.Sh.DecodeBase64(base64));
    }

    [Fact]
    public void Both_dsr_resource_types_are_guarded_with_the_kinds_one_snapshot()
    {
        var registry = ResourceKinds.Registry();
        var arp = registry.GuardOf(registry.For(new ArpSettingsResource(1, 2, ["all"], At)));
        var vip = registry.GuardOf(registry.For(new LoopbackVipResource("192.0.2.100", "lo:0", true, At)));

        Assert.NotNull(arp);
        Assert.Equal(new DsrKind().Guard, arp);
        Assert.Equal(arp, vip);
        Assert.Contains("$RC_SNAPSHOT/dsr", arp.SnapshotScript);
        Assert.Contains("[ ! -e \"$rc_dsr/complete\" ]", arp.SnapshotScript);
    }
}
