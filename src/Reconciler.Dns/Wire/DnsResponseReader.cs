using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Reconciler.Dns.Wire;

/// <summary>What the reader accepts of one message, beyond what the format allows.</summary>
/// <param name="MaxRecords">Records in all sections together.</param>
/// <param name="MaxTxtStrings">Character-strings in one TXT record.</param>
/// <param name="MaxTxtBytes">One TXT record's strings together, in bytes.</param>
internal sealed record DnsReadLimits(int MaxRecords, int MaxTxtStrings, int MaxTxtBytes);

/// <summary>
/// Reads a DNS message (RFC 1035 4.1) that may come from a hostile server. Everything is checked before it is used: a
/// name is at most 255 octets and a compression pointer may only point before the run of labels it ends (so names
/// neither loop nor grow), record data must fill its declared length exactly, and the record count and TXT sizes are
/// bounded. The libraries at hand follow pointers forwards and expand names without a length cap, which lets a 64 KiB
/// message become many megabytes of strings.
/// </summary>
internal static class DnsResponseReader
{
    private const int HeaderLength = 12;

    public static DnsResponse Read(ReadOnlySpan<byte> message, DnsReadLimits limits)
    {
        if (message.Length < HeaderLength)
        {
            throw new DnsFormatException($"a message of {message.Length} bytes, shorter than a DNS header");
        }

        var id = BinaryPrimitives.ReadUInt16BigEndian(message);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        var questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        var authority = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        var additional = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        if (questions > 1)
        {
            throw new DnsFormatException($"a message with {questions} questions");
        }

        if (answers + authority + additional > limits.MaxRecords)
        {
            throw new DnsFormatException($"a message with {answers + authority + additional} records, more than {limits.MaxRecords}");
        }

        var position = HeaderLength;
        DnsQuestion? question = null;
        if (questions == 1)
        {
            var name = ReadName(message, ref position);
            Need(message, position, 4);
            question = new DnsQuestion(name, BinaryPrimitives.ReadUInt16BigEndian(message[position..]), BinaryPrimitives.ReadUInt16BigEndian(message[(position + 2)..]));
            position += 4;
        }

        var answerRecords = ReadSection(message, ref position, answers, limits);
        var authorityRecords = ReadSection(message, ref position, authority, limits);
        var additionalRecords = ReadSection(message, ref position, additional, limits);

        // Trailing bytes are not an error (some servers pad), but the extended RCODE bits are: an OPT record's TTL holds them.
        var responseCode = flags & 0x000F;
        if (additionalRecords.OfType<DnsOtherRecord>().FirstOrDefault(r => r.Type == DnsType.Opt) is { } opt)
        {
            responseCode |= ((opt.Ttl >>> 24) & 0xFF) << 4;
        }

        return new DnsResponse(
            id,
            IsResponse: (flags & 0x8000) != 0,
            OperationCode: (flags >> 11) & 0x0F,
            Authoritative: (flags & 0x0400) != 0,
            Truncated: (flags & 0x0200) != 0,
            responseCode,
            question,
            answerRecords,
            authorityRecords,
            additionalRecords);
    }

    private static List<DnsRecord> ReadSection(ReadOnlySpan<byte> message, ref int position, int count, DnsReadLimits limits)
    {
        var records = new List<DnsRecord>(count);
        for (var i = 0; i < count; i++)
        {
            records.Add(ReadRecord(message, ref position, limits));
        }

        return records;
    }

    private static DnsRecord ReadRecord(ReadOnlySpan<byte> message, ref int position, DnsReadLimits limits)
    {
        var owner = ReadName(message, ref position);
        Need(message, position, 10);
        var type = BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
        var @class = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 2)..]);
        var rawTtl = BinaryPrimitives.ReadUInt32BigEndian(message[(position + 4)..]);
        var dataLength = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 8)..]);
        position += 10;
        Need(message, position, dataLength);
        var dataStart = position;
        var dataEnd = position + dataLength;
        position = dataEnd;

        // RFC 2181 8: a TTL with the top bit set is read as zero. The OPT record's "TTL" is flags, kept whole.
        var ttl = type == DnsType.Opt ? unchecked((int)rawTtl) : rawTtl > int.MaxValue ? 0 : (int)rawTtl;
        if (@class != DnsType.ClassIn)
        {
            return new DnsOtherRecord(owner, type, @class, ttl);
        }

        switch (type)
        {
            case DnsType.Txt:
                return new DnsTxtRecord(owner, ttl, ReadStrings(message[dataStart..dataEnd], limits));
            case DnsType.Ns or DnsType.Cname:
                var target = dataStart;
                var name = ReadName(message[..dataEnd], ref target);
                if (target != dataEnd)
                {
                    throw new DnsFormatException($"a {DnsType.Name(type)} record whose data is longer than its name");
                }

                return new DnsNameRecord(owner, type, ttl, name);
            case DnsType.A or DnsType.Aaaa:
                var expected = type == DnsType.A ? 4 : 16;
                if (dataLength != expected)
                {
                    throw new DnsFormatException($"an {DnsType.Name(type)} record of {dataLength} bytes");
                }

                return new DnsAddressRecord(owner, type, ttl, new IPAddress(message[dataStart..dataEnd]));
            default:
                return new DnsOtherRecord(owner, type, @class, ttl);
        }
    }

    private static List<string> ReadStrings(ReadOnlySpan<byte> data, DnsReadLimits limits)
    {
        var strings = new List<string>();
        var total = 0;
        var position = 0;
        while (position < data.Length)
        {
            var length = data[position++];
            Need(data, position, length);
            if (strings.Count == limits.MaxTxtStrings)
            {
                throw new DnsFormatException($"a TXT record of more than {limits.MaxTxtStrings} strings");
            }

            total += length;
            if (total > limits.MaxTxtBytes)
            {
                throw new DnsFormatException($"a TXT record of more than {limits.MaxTxtBytes} bytes");
            }

            strings.Add(Encoding.Latin1.GetString(data.Slice(position, length)));
            position += length;
        }

        if (strings.Count == 0)
        {
            throw new DnsFormatException("a TXT record with no string");
        }

        return strings;
    }

    /// <summary>
    /// A possibly compressed name (RFC 1035 4.1.4). Each pointer must point before the start of the run of labels that
    /// ends in it; the runs' starts therefore strictly decrease and the walk ends. <paramref name="position"/> moves past
    /// the name as written where it was found (up to and including its first pointer).
    /// </summary>
    private static DnsName ReadName(ReadOnlySpan<byte> message, ref int position)
    {
        var labels = new List<byte[]>();
        var wireLength = 1;
        var cursor = position;
        var runStart = position;
        int? resumeAt = null;
        while (true)
        {
            Need(message, cursor, 1);
            var length = message[cursor];
            if (length == 0)
            {
                cursor++;
                break;
            }

            switch (length & 0xC0)
            {
                case 0xC0:
                    Need(message, cursor, 2);
                    var target = BinaryPrimitives.ReadUInt16BigEndian(message[cursor..]) & 0x3FFF;
                    if (target >= runStart)
                    {
                        throw new DnsFormatException("a name whose compression pointer does not point backwards");
                    }

                    resumeAt ??= cursor + 2;
                    cursor = runStart = target;
                    continue;
                case 0x00:
                    Need(message, cursor + 1, length);
                    wireLength += length + 1;
                    if (wireLength > DnsName.MaxWireLength)
                    {
                        throw new DnsFormatException($"a name longer than {DnsName.MaxWireLength} octets");
                    }

                    labels.Add(message.Slice(cursor + 1, length).ToArray());
                    cursor += length + 1;
                    continue;
                default:
                    throw new DnsFormatException("a name with an unknown label type");
            }
        }

        position = resumeAt ?? cursor;
        return new DnsName(labels);
    }

    private static void Need(ReadOnlySpan<byte> data, int position, int count)
    {
        if (position + count > data.Length)
        {
            throw new DnsFormatException("a message that ends inside a record");
        }
    }
}
