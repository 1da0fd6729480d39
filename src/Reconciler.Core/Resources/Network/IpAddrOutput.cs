using System.Net;

namespace Reconciler.Core.Resources.Network;

/// <summary>
/// Parses iproute2's one-line format, e.g.
/// <c>1: lo    inet 192.0.2.100/32 scope global lo:0\       valid_lft forever preferred_lft forever</c>.
/// The label is the last field before the backslash and is printed for IPv4 only.
/// </summary>
public static class IpAddrOutput
{
    public static InterfaceAddress? Parse(string line)
    {
        var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 4 || fields[2] is not ("inet" or "inet6"))
        {
            return null;
        }

        var slash = fields[3].IndexOf('/');
        if (slash < 0 || !int.TryParse(fields[3][(slash + 1)..], out var prefix) || Canonical(fields[3][..slash]) is not { } address)
        {
            return null;
        }

        // "eth0@if12" is a veth pair's name as printed; the device is "eth0".
        var device = fields[1].Split('@')[0];
        var scope = "global";
        string? label = null;
        for (var i = 4; i < fields.Length; i++)
        {
            if (fields[i] == "scope" && i + 1 < fields.Length)
            {
                scope = fields[i + 1].TrimEnd('\\');
            }

            if (fields[i].EndsWith('\\'))
            {
                var last = fields[i].TrimEnd('\\');
                label = fields[2] == "inet" && last.Length > 0 && last != device ? last : null;
                break;
            }
        }

        return new InterfaceAddress(device, fields[2], address, prefix, scope, label);
    }

    /// <summary>The form <c>ip</c> prints (RFC 5952 for IPv6), or null when the text is not an address.</summary>
    public static string? Canonical(string address) =>
        IPAddress.TryParse(address, out var ip) ? ip.ToString().ToLowerInvariant() : null;
}
