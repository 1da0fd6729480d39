using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Reconciler.Core.Resources.Network;

/// <summary>Syntax of DSR VIPs (host addresses only), their loopback labels and ARP interface names.</summary>
public static partial class DsrRules
{
    /// <summary>
    /// Checks a VIP written as an address or address/32 (/128). Returns the problem, or null and the canonical
    /// address (IPv6 compressed and lower case, as <c>ip</c> prints it).
    /// </summary>
    public static string? VipProblem(string text, out string canonical)
    {
        canonical = text;
        var slash = text.IndexOf('/');
        var address = slash < 0 ? text : text[..slash];
        var isV6 = address.Contains(':');
        if (isV6 ? !IPAddress.TryParse(address, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6 || address.Contains('%')
                 : !IsStrictIPv4(address, out ip))
        {
            return $"VIP '{text}' is not an IPv4 or IPv6 address";
        }

        var hostPrefix = isV6 ? 128 : 32;
        if (slash >= 0 && text[(slash + 1)..] != hostPrefix.ToString())
        {
            return $"VIP '{text}' is not a host address: a DSR VIP is one address, /{hostPrefix} (write it without a prefix)";
        }

        var bytes = ip!.GetAddressBytes();
        var reserved = isV6
            ? ip.Equals(IPAddress.IPv6Any) || ip.Equals(IPAddress.IPv6Loopback) || ip.IsIPv6LinkLocal || ip.IsIPv6Multicast || ip.IsIPv4MappedToIPv6
            : bytes[0] is 0 or 127 || bytes[0] >= 224 || (bytes[0] == 169 && bytes[1] == 254);
        if (reserved)
        {
            return $"VIP '{text}' cannot be a DSR VIP: unspecified, loopback, link-local, multicast and reserved addresses are not service addresses";
        }

        canonical = ip.ToString().ToLowerInvariant();
        return null;
    }

    public static string? LabelProblem(string? label, bool isV6) =>
        isV6
            ? label is null ? null : $"label '{label}' cannot be used: the kernel has no labels for IPv6 addresses; remove it"
            : label is null ? "an IPv4 VIP needs a label 'lo:N' (the seed's lo:0): it names the alias and its persisted file"
            : LoopbackLabel().IsMatch(label) ? null
            : $"label '{label}' is not a loopback alias 'lo:N' with N a number (e.g. lo:0)";

    /// <summary>A network interface as the kernel allows it (at most 15 characters, never '.' or '..'), 'all' or 'default'.</summary>
    public const string InterfaceNamePattern = "^(?!\\.\\.?$)[A-Za-z0-9_.-]{1,15}$";

    /// <summary>Interface names as the kernel allows them (at most 15 characters), plus 'all' and 'default'.</summary>
    public static string? InterfaceProblem(string name) =>
        InterfaceName().IsMatch(name) && !name.Contains('\n')
            ? null
            : $"'{name}' is not an interface name (at most 15 letters, digits, '.', '_' or '-') nor 'all' or 'default'";

    private static bool IsStrictIPv4(string text, out IPAddress? ip)
    {
        ip = null;
        // IPAddress.TryParse would accept "10.1" or "1"; a VIP is always four octets.
        var octets = text.Split('.');
        if (octets.Length != 4 || !octets.All(o => o.Length is >= 1 and <= 3 && o.All(char.IsAsciiDigit) && int.Parse(o) <= 255))
        {
            return false;
        }

        ip = IPAddress.Parse(text);
        return true;
    }

    [GeneratedRegex("^lo:[0-9]{1,6}\\z")]
    private static partial Regex LoopbackLabel();

    [GeneratedRegex(InterfaceNamePattern)]
    private static partial Regex InterfaceName();
}
