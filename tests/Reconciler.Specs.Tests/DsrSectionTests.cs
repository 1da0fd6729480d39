using Reconciler.Core.Resources.Network;

namespace Reconciler.Specs.Tests;

public sealed class DsrSectionTests : IDisposable
{
    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    [Fact]
    public void The_dsr_section_gives_arp_settings_before_the_vips_even_when_another_file_declares_them_later()
    {
        _specs.WithDefaultInventory()
            .Write("10-vips.yaml", """
                kind: resources
                target: { group: hardened }
                dsr:
                  vips:
                    - { address: 192.0.2.100, label: "lo:0" }
                    - { address: "2001:DB8:0::100/128" }
                """)
            .Write("20-arp.yaml", """
                kind: resources
                target: { host: web1 }
                dsr:
                  arp: { ignore: 1, announce: 2, interfaces: [all, lo] }
                """);

        var result = _specs.Load();

        Assert.Empty(result.Diagnostics);
        var web1 = result.State!.Hosts.Single(h => h.Host.Name == "web1").Resources;
        Assert.Equal(["dsr_arp[ipv4]", "dsr_vip[192.0.2.100]", "dsr_vip[2001:db8::100]"], web1.Select(r => r.Address.ToString()));
        var arp = Assert.IsType<ArpSettingsResource>(web1[0]);
        Assert.Equal((1, 2), (arp.Ignore, arp.Announce));
        Assert.Equal(["all", "lo"], arp.Interfaces);
        Assert.All(web1.OfType<LoopbackVipResource>(), v => Assert.True(v.ArpDeclared));
        Assert.Equal("lo:0", web1.OfType<LoopbackVipResource>().First().Label);
    }

    [Fact]
    public void Arp_defaults_are_the_seeds_values()
    {
        _specs.WithDefaultInventory().Write("dsr.yaml", """
            kind: resources
            target: { host: web1 }
            dsr:
              arp: {}
            """);

        var arp = Assert.IsType<ArpSettingsResource>(_specs.Load().State!.Hosts[0].Resources.Single());

        Assert.Equal((1, 2), (arp.Ignore, arp.Announce));
        Assert.Equal(["all", "lo"], arp.Interfaces);
    }

    [Fact]
    public void A_host_without_arp_settings_gets_vips_that_know_it()
    {
        _specs.WithDefaultInventory().Write("dsr.yaml", """
            kind: resources
            target: { host: web2 }
            dsr:
              vips: [{ address: 192.0.2.100, label: "lo:0" }]
            """);

        var vip = Assert.IsType<LoopbackVipResource>(_specs.Load().State!.Hosts.Single(h => h.Host.Name == "web2").Resources.Single());

        Assert.False(vip.ArpDeclared);
    }

    [Fact]
    public void Addresses_labels_interfaces_and_duplicates_are_checked()
    {
        _specs.WithDefaultInventory()
            .Write("a.yaml", """
                kind: resources
                target: { group: all }
                dsr:
                  arp: { interfaces: [all, lo] }
                  vips:
                    - { address: 192.0.2.100, label: "lo:0" }
                    - { address: 10.0.0.0/24, label: "lo:1" }
                    - { address: "10.1", label: "lo:2" }
                    - { address: 127.0.0.2, label: "lo:3" }
                    - { address: 192.0.2.101, label: "eth0:1" }
                    - { address: 192.0.2.102 }
                    - { address: "fe80::1" }
                    - { address: "2001:db8::1", label: "lo:4" }
                    - { address: 192.0.2.103, label: "lo:0" }
                """)
            .Write("b.yaml", """
                kind: resources
                target: { host: web1 }
                dsr:
                  arp: {}
                  vips:
                    - { address: 192.0.2.100/32, label: "lo:9" }
                """);

        var a = _specs.Path("a.yaml");
        Assert.Equal(
            $"""
            {a}:7:18: error RC3004: VIP '10.0.0.0/24' is not a host address: a DSR VIP is one address, /32 (write it without a prefix)
            {a}:8:18: error RC3004: VIP '10.1' is not an IPv4 or IPv6 address
            {a}:9:18: error RC3004: VIP '127.0.0.2' cannot be a DSR VIP: unspecified, loopback, link-local, multicast and reserved addresses are not service addresses
            {a}:10:38: error RC3012: label 'eth0:1' is not a loopback alias 'lo:N' with N a number (e.g. lo:0)
            {a}:11:18: error RC3012: an IPv4 VIP needs a label 'lo:N' (the seed's lo:0): it names the alias and its persisted file
            {a}:12:18: error RC3004: VIP 'fe80::1' cannot be a DSR VIP: unspecified, loopback, link-local, multicast and reserved addresses are not service addresses
            {a}:13:40: error RC3012: label 'lo:4' cannot be used: the kernel has no labels for IPv6 addresses; remove it
            {a}:14:38: error RC3001: label 'lo:0' is already used by another VIP at {a}:6:38
            """,
            _specs.Diagnostics());
    }

    [Fact]
    public void The_same_vip_or_two_arp_sections_reaching_one_host_are_duplicates()
    {
        _specs.WithDefaultInventory()
            .Write("a.yaml", """
                kind: resources
                target: { group: all }
                dsr:
                  arp: {}
                  vips: [{ address: 192.0.2.100, label: "lo:0" }]
                """)
            .Write("b.yaml", """
                kind: resources
                target: { host: web1 }
                dsr:
                  arp: { interfaces: [lo] }
                  vips: [{ address: 192.0.2.100/32, label: "lo:1" }]
                """);

        var a = _specs.Path("a.yaml");
        var b = _specs.Path("b.yaml");
        Assert.Equal(
            $"""
            {b}:4:8: error RC3001: dsr_arp[ipv4] is already declared at {a}:4:8 (both apply to host 'web1')
            {b}:5:10: error RC3001: dsr_vip[192.0.2.100] is already declared at {a}:5:10 (both apply to host 'web1')
            """,
            _specs.Diagnostics());
    }

    [Fact]
    public void Schema_rejects_unsafe_arp_values_and_unknown_keys()
    {
        _specs.WithDefaultInventory().Write("dsr.yaml", """
            kind: resources
            target: { host: web1 }
            dsr:
              arp: { ignore: 0, announce: 1 }
              vips: [{ address: 192.0.2.100, lable: "lo:0" }]
            """);

        var diagnostics = _specs.Diagnostics();

        Assert.Contains("RC2001", diagnostics);
        Assert.Contains("ignore", diagnostics);
        Assert.Contains("announce", diagnostics);
        Assert.Contains("lable", diagnostics);
    }
}
