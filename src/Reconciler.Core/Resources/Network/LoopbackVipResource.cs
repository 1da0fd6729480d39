using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Network;

/// <summary>
/// A DSR virtual IP on the loopback: a host address (/32 or /128) the real server accepts traffic for without ever
/// answering ARP for it. <paramref name="Ip"/> is canonical (IPv6 compressed, lower case) so it compares with
/// what <c>ip</c> prints. <paramref name="Label"/> (<c>lo:N</c>) is IPv4 only: the kernel has no IPv6 labels.
/// <paramref name="ArpDeclared"/> says the host's spec also declares <c>dsr.arp</c>, which is applied first.
/// </summary>
public sealed record LoopbackVipResource(string Ip, string? Label, bool ArpDeclared, SourceLocation Source) : Resource(Source)
{
    public const string KindName = "dsr_vip";

    public const string Device = "lo";

    public override ResourceAddress Address => new(KindName, Ip);

    public bool IsIPv6 => Ip.Contains(':');

    public int PrefixLength => IsIPv6 ? 128 : 32;

    public string Cidr => $"{Ip}/{PrefixLength}";

    /// <summary>How the plan shows the live address, e.g. <c>192.0.2.100/32 label lo:0</c>.</summary>
    public string LiveText => Label is null ? Cidr : $"{Cidr} label {Label}";
}
