using Reconciler.Core.Diagnostics;
using Reconciler.Core.Resources.Network;

namespace Reconciler.Core.Tests.Providers.Network;

public sealed class VipPersistenceTests
{
    private static readonly SourceLocation At = new("dsr.yaml", 7, 7);
    private static readonly LoopbackVipResource V4 = new("192.0.2.100", "lo:0", true, At);
    private static readonly LoopbackVipResource V6 = new("2001:db8::100", null, true, At);

    [Fact]
    public void Debian_ipv4_vip_is_an_ifupdown_alias_stanza()
    {
        Assert.Equal("/etc/network/interfaces.d/reconciler-lo-0", VipPersistence.PathFor(OsFamily.Debian, V4));
        Assert.Equal(
            """
            # Managed by reconciler (dsr.vips); local edits are overwritten.
            auto lo:0
            iface lo:0 inet static
                address 192.0.2.100/32

            """,
            VipPersistence.Render(OsFamily.Debian, V4));
    }

    [Fact]
    public void Debian_ipv6_vip_is_an_extra_inet6_stanza_of_lo()
    {
        Assert.Equal("/etc/network/interfaces.d/reconciler-lo-v6-2001-db8--100", VipPersistence.PathFor(OsFamily.Debian, V6));
        Assert.Equal(
            """
            # Managed by reconciler (dsr.vips); local edits are overwritten.
            iface lo inet6 static
                address 2001:db8::100/128

            """,
            VipPersistence.Render(OsFamily.Debian, V6));
    }

    [Fact]
    public void Red_hat_ipv4_vip_is_the_seeds_ifcfg_file()
    {
        Assert.Equal("/etc/sysconfig/network-scripts/ifcfg-lo:0", VipPersistence.PathFor(OsFamily.RedHat, V4));
        Assert.Equal(
            """
            # Managed by reconciler (dsr.vips); local edits are overwritten.
            DEVICE=lo:0
            IPADDR=192.0.2.100
            NETMASK=255.255.255.255
            ONBOOT=yes
            NAME=loopback

            """,
            VipPersistence.Render(OsFamily.RedHat, V4));
    }

    [Fact]
    public void Unsupported_combinations_render_nothing()
    {
        Assert.Null(VipPersistence.Render(OsFamily.RedHat, V6));
        Assert.Null(VipPersistence.Render(OsFamily.Unknown, V4));
    }

    [Theory]
    [InlineData("auto lo:0\niface lo:0 inet static\n    address 192.0.2.9/32\n", "192.0.2.9")]
    [InlineData("DEVICE=lo:0\nIPADDR=192.0.2.9\n", "192.0.2.9")]
    [InlineData(null, null)]
    public void The_address_a_persisted_file_names_is_read_back(string? text, string? address)
    {
        Assert.Equal(address, VipPersistence.AddressIn(text));
    }
}
