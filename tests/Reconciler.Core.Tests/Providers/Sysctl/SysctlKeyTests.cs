using Reconciler.Core.Resources.Sysctl;

namespace Reconciler.Core.Tests.Providers.Sysctl;

/// <summary>Sysctl keys map to /proc/sys by code only: a key that could name a file elsewhere never reaches a script.</summary>
public sealed class SysctlKeyTests
{
    [Theory]
    [InlineData("net.ipv4.tcp_syncookies", "/proc/sys/net/ipv4/tcp_syncookies")]
    [InlineData("net.ipv4.conf.lo.arp_ignore", "/proc/sys/net/ipv4/conf/lo/arp_ignore")]
    [InlineData("net.ipv4.conf.br-1a2b.rp_filter", "/proc/sys/net/ipv4/conf/br-1a2b/rp_filter")]
    [InlineData("net.ipv6.conf.eth0.accept_ra", "/proc/sys/net/ipv6/conf/eth0/accept_ra")]
    [InlineData("net/ipv4/conf/eth0.100/arp_ignore", "/proc/sys/net/ipv4/conf/eth0.100/arp_ignore")]
    public void Real_keys_map_under_proc_sys(string key, string path)
    {
        Assert.Equal(path, SysctlKey.ProcPath(key));
    }

    [Theory]
    [InlineData("net/../../../etc/shadow")]
    [InlineData("kernel/../../../etc/issue")]
    [InlineData("../dev/urandom")]
    [InlineData("net/ipv4/../../../../dev/zero")]
    [InlineData("net/./ipv4")]
    [InlineData("net//ipv4")]
    [InlineData("/etc/shadow")]
    [InlineData("net.ipv4..x")]
    [InlineData("net.ipv4.x\n")]
    [InlineData("net.ipv4.x\0")]
    [InlineData("net.ipv4 .x")]
    [InlineData("net")]
    [InlineData("")]
    public void Hostile_keys_are_invalid_and_never_mapped(string key)
    {
        Assert.False(SysctlKey.IsValid(key));
        Assert.NotNull(SysctlKey.Problem(key));
        Assert.Throws<ArgumentException>(() => SysctlKey.ProcPath(key));
    }

    [Theory]
    [InlineData("net.ipv4.conf.eth0/100.rp_filter")]
    [InlineData("net/ipv4/tcp_syncookies")]
    [InlineData("Net.ipv4.x")]
    public void Spec_keys_are_dotted_only(string key)
    {
        Assert.False(SysctlKey.IsValid(key));
        Assert.Contains("no '/' or '..'", SysctlKey.Problem(key));
    }

    [Fact]
    public void A_key_longer_than_the_limit_is_refused()
    {
        Assert.False(SysctlKey.IsValid("net." + new string('a', SysctlKey.MaxLength)));
    }
}
