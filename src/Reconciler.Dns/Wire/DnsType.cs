namespace Reconciler.Dns.Wire;

/// <summary>The record types and the class this adapter reads or asks for (RFC 1035, 3596, 6891).</summary>
internal static class DnsType
{
    public const ushort A = 1;
    public const ushort Ns = 2;
    public const ushort Cname = 5;
    public const ushort Txt = 16;
    public const ushort Aaaa = 28;
    public const ushort Opt = 41;

    public const ushort ClassIn = 1;

    public static string Name(ushort type) => type switch
    {
        A => "A",
        Ns => "NS",
        Cname => "CNAME",
        Txt => "TXT",
        Aaaa => "AAAA",
        _ => $"TYPE{type}",
    };
}
