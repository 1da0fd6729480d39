using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Network;
using Reconciler.Core.Shell;
using static Reconciler.Core.Tests.Support.ProviderHarness;

namespace Reconciler.Core.Tests.Providers.Network;

/// <summary>
/// Fact lines as the VIP read prints them: <c>X</c> when ip exists, <c>I\t</c> + an <c>ip -o addr show</c> line,
/// <c>A\tNAME\tarp_ignore\tarp_announce</c>, <c>O\tdebian|redhat</c>, <c>S</c> when interfaces sources
/// interfaces.d, <c>F\tINDEX\tFAMILY\tbase64</c> for an existing persisted file.
/// </summary>
public sealed class LoopbackVipProviderTests
{
    private static readonly SourceLocation At = new("dsr.yaml", 7, 7);
    private readonly IResourceProvider _provider = new LoopbackVipProvider();
    private static readonly LoopbackVipResource Vip = new("192.0.2.100", "lo:0", ArpDeclared: true, At);

    private const string Lo = "I\t1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever";
    private const string Eth0 = "I\t154: eth0@if155    inet 172.17.0.3/16 brd 172.17.255.255 scope global eth0\\       valid_lft forever preferred_lft forever";
    private const string VipLine = "I\t1: lo    inet 192.0.2.100/32 scope global lo:0\\       valid_lft forever preferred_lft forever";
    private const string DebianFile = "# Managed by reconciler (dsr.vips); local edits are overwritten.\nauto lo:0\niface lo:0 inet static\n    address 192.0.2.100/32\n";

    private static string[] Host(bool safeArp, params string[] extra) =>
    [
        "X", Lo, Eth0,
        safeArp ? "A\tall\t1\t2" : "A\tall\t0\t0", "A\tdefault\t0\t0", "A\teth0\t0\t0", "A\tlo\t0\t0",
        "O\tdebian", "S", .. extra,
    ];

    private static string File(string text) => $"F\t0\tDebian\t{Sh.Base64(text)}";

    [Theory]
    [InlineData("1: lo    inet 192.0.2.100/32 scope global lo:0\\       valid_lft forever preferred_lft forever", "lo", "inet", "192.0.2.100", 32, "global", "lo:0")]
    [InlineData("1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever", "lo", "inet", "127.0.0.1", 8, "host", null)]
    [InlineData("1: lo    inet6 2001:DB8:0::100/128 scope global \\       valid_lft forever preferred_lft forever", "lo", "inet6", "2001:db8::100", 128, "global", null)]
    [InlineData("7: eth0@if8    inet 10.0.0.2/24 brd 10.0.0.255 scope global secondary eth0:1\\       valid_lft forever", "eth0", "inet", "10.0.0.2", 24, "global", "eth0:1")]
    public void Ip_one_line_output_is_parsed(string line, string device, string family, string address, int prefix, string scope, string? label)
    {
        Assert.Equal(new InterfaceAddress(device, family, address, prefix, scope, label), IpAddrOutput.Parse(line));
    }

    [Fact]
    public void Ip_link_lines_and_garbage_are_not_addresses()
    {
        Assert.Null(IpAddrOutput.Parse("1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN"));
        Assert.Null(IpAddrOutput.Parse(""));
    }

    [Fact]
    public void A_vip_on_a_blank_host_plans_a_create_of_the_live_address_and_the_ifupdown_stanza()
    {
        var change = Diff(_provider, Vip, Host(safeArp: false));

        Assert.Equal(ChangeAction.Create, change.Action);
        Assert.Equal(
            [
                AttributeChange.Of(new("live"), null, "192.0.2.100/32 label lo:0"),
                AttributeChange.Of(new("persisted (/etc/network/interfaces.d/reconciler-lo-0)"), null, DebianFile),
            ],
            change.Attributes);
        Assert.Null(change.Note);
    }

    [Fact]
    public void A_vip_live_and_persisted_is_a_no_op()
    {
        Assert.Equal(ChangeAction.NoOp, Diff(_provider, Vip, Host(true, VipLine, File(DebianFile))).Action);
    }

    [Fact]
    public void A_vip_with_the_wrong_label_or_prefix_is_an_update()
    {
        var change = Diff(_provider, Vip, Host(true, VipLine.Replace("/32", "/24").Replace("lo:0\\", "lo\\"), File(DebianFile)));

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal([AttributeChange.Of(new("live"), "192.0.2.100/24", "192.0.2.100/32 label lo:0")], change.Attributes);
    }

    [Fact]
    public void A_vip_missing_live_but_persisted_is_drift_on_the_live_layer_only()
    {
        var change = Diff(_provider, Vip, Host(true, File(DebianFile)));

        Assert.Equal([AttributeChange.Of(new("live"), null, "192.0.2.100/32 label lo:0")], change.Attributes);
    }

    [Fact]
    public void A_changed_address_replaces_the_one_its_own_file_named()
    {
        var old = DebianFile.Replace("192.0.2.100", "192.0.2.99");
        var observed = Observe(_provider, Vip, Host(true, VipLine.Replace("192.0.2.100", "192.0.2.99"), File(old)));
        var change = _provider.Diff(Vip, observed);

        Assert.Contains(AttributeChange.Of(new("replaces"), "192.0.2.99/32 label lo:0", null), change.Attributes);
        var script = _provider.ApplyScript(Vip, observed, change);
        Assert.Contains("ip addr del '192.0.2.99/32' dev lo", script);
        Assert.True(script.IndexOf("refusing to add the VIP", StringComparison.Ordinal) < script.IndexOf("ip addr del", StringComparison.Ordinal),
            "the ARP guard runs before anything on lo changes");
    }

    [Fact]
    public void Without_declared_arp_settings_a_host_that_would_answer_arp_blocks_the_vip()
    {
        var change = Diff(_provider, Vip with { ArpDeclared = false }, Host(safeArp: false));

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Equal(
            "eth0 would answer ARP for it: effective arp_ignore 0 (all=0, eth0=0), arp_announce 0 (all=0, eth0=0); " +
            "needs arp_ignore >= 1 and arp_announce >= 2; declare dsr.arp for this host (it is applied before any VIP)",
            change.Note);
    }

    [Fact]
    public void Without_declared_arp_settings_a_host_already_safe_gets_the_vip()
    {
        Assert.Equal(ChangeAction.Create, Diff(_provider, Vip with { ArpDeclared = false }, Host(safeArp: true)).Action);
    }

    [Fact]
    public void A_vip_configured_on_a_real_interface_is_blocked()
    {
        var change = Diff(_provider, Vip, Host(true, Eth0.Replace("172.17.0.3/16", "192.0.2.100/32")));

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.StartsWith("192.0.2.100 is also configured on eth0", change.Note);
    }

    [Fact]
    public void Unknown_os_family_and_missing_ip_are_blocked()
    {
        Assert.Contains("neither /etc/debian_version nor /etc/redhat-release", Diff(_provider, Vip, "X", Lo).Note);
        Assert.Contains("iproute2", Diff(_provider, Vip, "O\tdebian").Note);
    }

    [Fact]
    public void Without_ifupdown_reading_interfaces_d_the_plan_says_the_vip_will_not_survive_a_reboot()
    {
        var lines = Host(true).Where(l => l != "S").ToArray();

        Assert.Contains("will not come back at boot", Diff(_provider, Vip, lines).Note);
    }

    [Fact]
    public void Red_hat_hosts_compare_the_ifcfg_file()
    {
        var lines = Host(true).Select(l => l == "O\tdebian" ? "O\tredhat" : l).ToArray();

        var change = Diff(_provider, Vip, lines);

        Assert.Equal("persisted (/etc/sysconfig/network-scripts/ifcfg-lo:0)", change.Attributes[1].Name.Text);
    }

    [Fact]
    public void Apply_guards_arp_then_adds_the_labelled_address_then_writes_the_file()
    {
        var observed = Observe(_provider, Vip, Host(true));
        var script = _provider.ApplyScript(Vip, observed, _provider.Diff(Vip, observed));

        var guard = script.IndexOf("refusing to add the VIP", StringComparison.Ordinal);
        var add = script.IndexOf("ip addr add '192.0.2.100/32' dev lo label 'lo:0'", StringComparison.Ordinal);
        var write = script.IndexOf("rc_write '/etc/network/interfaces.d/reconciler-lo-0'", StringComparison.Ordinal);
        Assert.True(guard >= 0 && add > guard && write > add, script);
    }

    [Fact]
    public void Apply_of_an_ipv6_vip_has_no_label_and_no_arp_guard()
    {
        var vip = new LoopbackVipResource("2001:db8::100", null, ArpDeclared: false, At);
        var observed = Observe(_provider, vip, Host(false));
        var change = _provider.Diff(vip, observed);
        var script = _provider.ApplyScript(vip, observed, change);

        Assert.Equal(ChangeAction.Create, change.Action);
        Assert.Contains("ip -6 addr add '2001:db8::100/128' dev lo", script);
        Assert.DoesNotContain("refusing", script);
    }

    [Theory]
    [InlineData("all 1 2|lo 0 0|eth0 0 0|eth1 0 1", null)]
    [InlineData("all 0 0|lo 0 0|eth0 1 2|eth1 2 2", null)]
    [InlineData("all 0 2|lo 1 2|eth0 1 0|eth1 0 0", "eth1 would answer ARP for it (effective arp_ignore 0, arp_announce 2)")]
    [InlineData("all 1 1|lo 1 2|eth0 1 1", "eth0 would answer ARP for it (effective arp_ignore 1, arp_announce 1)")]
    public void The_shell_arp_guard_agrees_with_the_plan_time_check(string conf, string? refusal)
    {
        // A fake /proc/sys/net/ipv4/conf: "name ignore announce" per interface.
        using var dir = new Reconciler.Core.Tests.Support.TempDir();
        var values = conf.Split('|').Select(e => e.Split(' ')).Select(f => new ArpValues(f[0], int.Parse(f[1]), int.Parse(f[2]))).ToList();
        foreach (var v in values)
        {
            Directory.CreateDirectory(dir[v.Name]);
            System.IO.File.WriteAllText(Path.Combine(dir[v.Name], "arp_ignore"), $"{v.Ignore}\n");
            System.IO.File.WriteAllText(Path.Combine(dir[v.Name], "arp_announce"), $"{v.Announce}\n");
        }

        var result = Reconciler.Core.Tests.Support.LocalShell.Run($"( {ArpSafety.GuardOver(dir.Path)}\n) && echo SAFE");

        Assert.Equal(refusal is null, ArpSafety.Problem(values) is null);
        if (refusal is null)
        {
            Assert.Equal("SAFE", result.Stdout.Trim());
        }
        else
        {
            Assert.Equal(1, result.ExitCode);
            Assert.Equal($"refusing to add the VIP: {refusal}", result.Stderr.Trim());
        }
    }
}
