namespace Reconciler.Core.Resources.Firewall;

/// <summary>TCP flag lists written the way <c>iptables -S</c> prints them, so declared and live rules compare as text.</summary>
public static class TcpFlags
{
    /// <summary>iptables' own print order; ALL expands to all six, an empty list is NONE.</summary>
    public static readonly IReadOnlyList<string> Order = ["FIN", "SYN", "RST", "PSH", "ACK", "URG"];

    public static bool IsKnown(string flag) => flag is "ALL" or "NONE" || Order.Contains(flag);

    public static string Canonical(IEnumerable<string> flags)
    {
        var listed = flags.Select(f => f.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
        if (listed.Contains("ALL"))
        {
            listed.UnionWith(Order);
        }

        var ordered = Order.Where(listed.Contains).ToList();
        return ordered.Count == 0 ? "NONE" : string.Join(',', ordered);
    }
}
