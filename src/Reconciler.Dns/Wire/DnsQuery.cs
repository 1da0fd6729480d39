using System.Buffers.Binary;

namespace Reconciler.Dns.Wire;

/// <summary>One question as a DNS message (RFC 1035 4.1), with an EDNS0 OPT record (RFC 6891).</summary>
internal static class DnsQuery
{
    /// <summary>
    /// The UDP payload size offered: the DNS flag day 2020 value, which a 4096-bit DKIM record (about 800 bytes) fits, so
    /// an honest server answers it over UDP rather than truncating to 512 bytes and sending the client to TCP.
    /// </summary>
    public const ushort UdpPayloadSize = 1232;

    public static byte[] Encode(ushort id, DnsName name, ushort type, bool recursionDesired)
    {
        var message = new byte[12 + name.WireLength + 4 + 11];
        var span = message.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, id);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], recursionDesired ? (ushort)0x0100 : (ushort)0);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], 1); // one question
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], 1); // one additional record: OPT
        var position = 12;
        foreach (var label in name.Labels)
        {
            message[position++] = (byte)label.Length;
            label.CopyTo(span[position..]);
            position += label.Length;
        }

        message[position++] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(span[position..], type);
        BinaryPrimitives.WriteUInt16BigEndian(span[(position + 2)..], DnsType.ClassIn);
        position += 4;

        // OPT: root owner, type 41, class = payload size, TTL 0 (extended RCODE 0, version 0, no DO), no options.
        message[position++] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(span[position..], DnsType.Opt);
        BinaryPrimitives.WriteUInt16BigEndian(span[(position + 2)..], UdpPayloadSize);
        return message;
    }
}
