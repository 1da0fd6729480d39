using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Reconciler.Dns.Tests.Support;

/// <summary>
/// Writes the answers a test nameserver sends, honest or not: header bits, the query's question echoed, records written
/// uncompressed. Names are dot-separated and each character becomes one byte, so a test can put any byte in a label.
/// </summary>
public sealed class DnsMessageBuilder(byte[] query)
{
    private readonly List<byte[]> _answers = [];
    private readonly List<byte[]> _authority = [];
    private readonly List<byte[]> _additional = [];

    public bool Authoritative { get; set; } = true;

    public bool Truncated { get; set; }

    public int ResponseCode { get; set; }

    public bool EchoQuestion { get; set; } = true;

    public DnsMessageBuilder Txt(string owner, int ttl, params string[] strings) =>
        Answer(owner, 16, ttl, [.. strings.SelectMany(s => (byte[])[(byte)s.Length, .. Encoding.Latin1.GetBytes(s)])]);

    public DnsMessageBuilder Ns(string owner, string target) => Answer(owner, 2, 300, Name(target));

    public DnsMessageBuilder Cname(string owner, string target) => Answer(owner, 5, 300, Name(target));

    public DnsMessageBuilder A(string owner, string address) => Answer(owner, 1, 300, IPAddress.Parse(address).GetAddressBytes());

    public DnsMessageBuilder AAAA(string owner, string address) => Answer(owner, 28, 300, IPAddress.Parse(address).GetAddressBytes());

    public DnsMessageBuilder Answer(string owner, ushort type, int ttl, byte[] data)
    {
        _answers.Add(Record(owner, type, ttl, data));
        return this;
    }

    public DnsMessageBuilder AnswerRecord(byte[] record)
    {
        _answers.Add(record);
        return this;
    }

    public DnsMessageBuilder Authority(string owner, ushort type, int ttl, byte[] data)
    {
        _authority.Add(Record(owner, type, ttl, data));
        return this;
    }

    public DnsMessageBuilder GlueA(string owner, string address)
    {
        _additional.Add(Record(owner, 1, 300, IPAddress.Parse(address).GetAddressBytes()));
        return this;
    }

    public DnsMessageBuilder GlueAAAA(string owner, string address)
    {
        _additional.Add(Record(owner, 28, 300, IPAddress.Parse(address).GetAddressBytes()));
        return this;
    }

    public DnsMessageBuilder Additional(byte[] record)
    {
        _additional.Add(record);
        return this;
    }

    public byte[] Build()
    {
        var question = EchoQuestion ? QuestionOf(query) : [];
        var header = new byte[12];
        header[0] = query[0];
        header[1] = query[1];
        var flags = 0x8000 | (query[2] & 0x78) << 8 | (Authoritative ? 0x0400 : 0) | (Truncated ? 0x0200 : 0) | (query[2] & 0x01) << 8 | (ResponseCode & 0x0F);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)flags);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), (ushort)(EchoQuestion ? 1 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), (ushort)_answers.Count);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(8), (ushort)_authority.Count);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), (ushort)_additional.Count);
        return [.. header, .. question, .. _answers.SelectMany(a => a), .. _authority.SelectMany(a => a), .. _additional.SelectMany(a => a)];
    }

    /// <summary>The question section of a query as sent: header, then the name's labels, then type and class.</summary>
    public static byte[] QuestionOf(byte[] message)
    {
        var position = 12;
        while (message[position] != 0)
        {
            position += message[position] + 1;
        }

        return message[12..(position + 5)];
    }

    /// <summary>The asked name, as text ("a.b.c").</summary>
    public static string QuestionName(byte[] message)
    {
        var labels = new List<string>();
        var position = 12;
        while (message[position] != 0)
        {
            labels.Add(Encoding.Latin1.GetString(message, position + 1, message[position]));
            position += message[position] + 1;
        }

        return string.Join('.', labels);
    }

    public static ushort QuestionType(byte[] message) =>
        BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(12 + QuestionOf(message).Length - 4));

    public static bool RecursionDesired(byte[] message) => (message[2] & 0x01) != 0;

    public static byte[] Record(string owner, ushort type, int ttl, byte[] data, ushort @class = 1)
    {
        var fixedPart = new byte[10];
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart, type);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(2), @class);
        BinaryPrimitives.WriteInt32BigEndian(fixedPart.AsSpan(4), ttl);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(8), (ushort)data.Length);
        return [.. Name(owner), .. fixedPart, .. data];
    }

    public static byte[] Name(string name) =>
        name is "" or "."
            ? [0]
            : [.. name.TrimEnd('.').Split('.').SelectMany(label => (byte[])[(byte)label.Length, .. Encoding.Latin1.GetBytes(label)]), 0];
}
