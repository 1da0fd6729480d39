using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Network;

/// <summary>
/// The ARP behaviour a DSR real server needs, so a loopback VIP never answers ARP and never announces itself:
/// <c>arp_ignore</c> and <c>arp_announce</c> for each listed <c>net.ipv4.conf.NAME</c>. For a real interface the
/// kernel uses the larger of <c>conf.all</c> and <c>conf.NAME</c>, so that effective value is what is compared;
/// <c>all</c> and <c>default</c> are compared as they are. One per host: two would fight over the same keys.
/// </summary>
public sealed record ArpSettingsResource(int Ignore, int Announce, IReadOnlyList<string> Interfaces, SourceLocation Source)
    : Resource(Source)
{
    public const string KindName = "dsr_arp";

    /// <summary>One file for every key this resource pins; "zz-" sorts after Debian's 99-sysctl.conf, so it wins at boot.</summary>
    public const string PersistFile = "/etc/sysctl.d/zz-reconciler-dsr-arp.conf";

    public static readonly IReadOnlyList<string> Parameters = ["arp_ignore", "arp_announce"];

    public override ResourceAddress Address => new(KindName, "ipv4");

    public int Declared(string parameter) => parameter == "arp_ignore" ? Ignore : Announce;

    /// <summary><c>all</c> is the floor every interface gets; <c>default</c> only seeds interfaces created later.</summary>
    public static bool IsPseudoInterface(string name) => name is "all" or "default";

    /// <summary>The sysctl.d spelling: dotted, or the slash form when the interface name has a dot (eth0.100).</summary>
    public static string SysctlKey(string name, string parameter) =>
        name.Contains('.') ? $"net/ipv4/conf/{name}/{parameter}" : $"net.ipv4.conf.{name}.{parameter}";
}
