using System.Net;
using System.Net.Sockets;

namespace Reconciler.Core.Resources.Firewall;

/// <summary>
/// One address or CIDR of a block set, in the canonical form <c>ipset save</c> prints for hash:net: the network address
/// (host bits cleared), no prefix for a single host, IPv6 compressed in lower case. Desired and live entries can then be
/// compared as strings.
/// </summary>
public sealed record BlockEntry(string Text, IpFamily Family)
{
    /// <summary>Parses <paramref name="text"/>; returns null and a reason a person can act on when it is not an address or CIDR.</summary>
    public static BlockEntry? Parse(string text, out string? error)
    {
        error = null;
        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text : text[..slash];
        if (!LooksLikeAddress(addressText) || !IPAddress.TryParse(addressText, out var address))
        {
            error = $"'{text}' is not an IPv4 or IPv6 address or CIDR";
            return null;
        }

        var family = address.AddressFamily == AddressFamily.InterNetwork ? IpFamily.Ipv4 : IpFamily.Ipv6;
        var bits = family == IpFamily.Ipv4 ? 32 : 128;
        var prefix = bits;
        if (slash >= 0)
        {
            var prefixText = text[(slash + 1)..];
            if (prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit) || (prefix = int.Parse(prefixText)) > bits)
            {
                error = $"'{text}' has an invalid prefix length (1-{bits})";
                return null;
            }

            // hash:net cannot hold /0; blocking everything is not what a block list is for.
            if (prefix == 0)
            {
                error = $"'{text}' would match every address; prefix length must be 1-{bits}";
                return null;
            }
        }

        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        var network = new IPAddress(bytes).ToString();
        return new BlockEntry(prefix == bits ? network : $"{network}/{prefix}", family);
    }

    /// <summary>IPAddress.TryParse accepts "10.1", "1" or hex; block lists mean dotted quads or real IPv6 text.</summary>
    private static bool LooksLikeAddress(string text)
    {
        if (text.Contains(':'))
        {
            return text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.');
        }

        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit));
    }
}
