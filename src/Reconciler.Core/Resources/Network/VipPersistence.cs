namespace Reconciler.Core.Resources.Network;

/// <summary>
/// Where and how a loopback VIP survives a reboot. Pure renderers, so the exact text is unit-tested; the file is
/// named after the label (one alias, one file), which also lets a changed address replace the old one in place.
/// </summary>
public static class VipPersistence
{
    public const string DebianDirectory = "/etc/network/interfaces.d";
    public const string RedHatDirectory = "/etc/sysconfig/network-scripts";

    private const string Header = "# Managed by reconciler (dsr.vips); local edits are overwritten.\n";

    public static string? PathFor(OsFamily os, LoopbackVipResource vip) => os switch
    {
        OsFamily.Debian => $"{DebianDirectory}/{DebianFileName(vip)}",
        OsFamily.RedHat when !vip.IsIPv6 => $"{RedHatDirectory}/ifcfg-{vip.Label}",
        _ => null,
    };

    /// <summary><c>reconciler-lo-0</c> for <c>lo:0</c>; IPv6 has no label, so the address names it.</summary>
    public static string DebianFileName(LoopbackVipResource vip) =>
        vip.IsIPv6 ? $"reconciler-lo-v6-{vip.Ip.Replace(':', '-')}" : $"reconciler-{vip.Label!.Replace(':', '-')}";

    public static string? Render(OsFamily os, LoopbackVipResource vip) => os switch
    {
        OsFamily.Debian => RenderDebian(vip),
        OsFamily.RedHat when !vip.IsIPv6 => RenderIfcfg(vip),
        _ => null,
    };

    /// <summary>
    /// ifupdown (Debian 12: 0.8) stanza. IPv4 uses an alias stanza, <c>iface lo:0 inet static</c>, which ifupdown
    /// brings up as <c>ip addr add ADDRESS/32 dev lo label lo:0</c>: a second <c>iface lo inet ...</c> stanza could
    /// not carry the label, and would be one more definition of lo next to <c>iface lo inet loopback</c> in
    /// /etc/network/interfaces. IPv6 has no labels, so its address is an extra <c>iface lo inet6 static</c> stanza
    /// (ifupdown configures every stanza of an interface; <c>auto lo</c> in the main file already starts it).
    /// </summary>
    public static string RenderDebian(LoopbackVipResource vip) =>
        vip.IsIPv6
            ? Header + $"iface lo inet6 static\n    address {vip.Cidr}\n"
            : Header + $"auto {vip.Label}\niface {vip.Label} inet static\n    address {vip.Cidr}\n";

    /// <summary>The Red Hat family's ifcfg file, as the DSR seed writes <c>ifcfg-lo:0</c>; IPv4 aliases only.</summary>
    public static string RenderIfcfg(LoopbackVipResource vip) =>
        Header +
        $"DEVICE={vip.Label}\n" +
        $"IPADDR={vip.Ip}\n" +
        "NETMASK=255.255.255.255\n" +
        "ONBOOT=yes\n" +
        "NAME=loopback\n";

    /// <summary>The address a persisted file of ours names, so a changed VIP can replace the old one it made.</summary>
    public static string? AddressIn(string? text)
    {
        foreach (var line in (text ?? "").Split('\n'))
        {
            var t = line.Trim();
            if (t.StartsWith("address ", StringComparison.Ordinal))
            {
                return IpAddrOutput.Canonical(t["address ".Length..].Split('/')[0].Trim());
            }

            if (t.StartsWith("IPADDR=", StringComparison.Ordinal))
            {
                return IpAddrOutput.Canonical(t["IPADDR=".Length..].Trim());
            }
        }

        return null;
    }
}
