using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Reconciler.Core.Specs;

/// <summary>Accepts an IPv4 address, an IPv6 address or a DNS host name.</summary>
public static partial class AddressRules
{
    public static bool IsValid(string address)
    {
        if (address.Contains(':'))
        {
            return IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6;
        }

        // All digits and dots is meant as IPv4; IPAddress.TryParse would accept "10.1" or "1", which are typos here.
        if (DigitsAndDots().IsMatch(address))
        {
            var octets = address.Split('.');
            return octets.Length == 4 && octets.All(o => o.Length is >= 1 and <= 3 && int.Parse(o) <= 255);
        }

        return address.Length <= 253 && HostName().IsMatch(address);
    }

    [GeneratedRegex("^[0-9.]+\\z")]
    private static partial Regex DigitsAndDots();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?\z")]
    private static partial Regex HostName();
}
