using System.Net;

namespace Reconciler.Dns.Wire;

/// <summary>A DNS message as read by <see cref="DnsResponseReader"/>: the header bits the adapter judges by, and the records.</summary>
/// <param name="ResponseCode">The RCODE with the OPT record's extended bits, if any (RFC 6891 6.1.3).</param>
internal sealed record DnsResponse(
    ushort Id,
    bool IsResponse,
    int OperationCode,
    bool Authoritative,
    bool Truncated,
    int ResponseCode,
    DnsQuestion? Question,
    IReadOnlyList<DnsRecord> Answers,
    IReadOnlyList<DnsRecord> Authority,
    IReadOnlyList<DnsRecord> Additional);

internal sealed record DnsQuestion(DnsName Name, ushort Type, ushort Class);

/// <summary>One resource record; its data is read only for class IN and the types the adapter uses.</summary>
internal abstract record DnsRecord(DnsName Owner, ushort Type, ushort Class, int Ttl);

/// <summary>TXT: the character-strings, each byte as one character (Latin-1), so nothing a server sent is lost or merged.</summary>
internal sealed record DnsTxtRecord(DnsName Owner, int Ttl, IReadOnlyList<string> Strings) : DnsRecord(Owner, DnsType.Txt, DnsType.ClassIn, Ttl);

/// <summary>NS or CNAME: a name.</summary>
internal sealed record DnsNameRecord(DnsName Owner, ushort Type, int Ttl, DnsName Target) : DnsRecord(Owner, Type, DnsType.ClassIn, Ttl);

/// <summary>A or AAAA.</summary>
internal sealed record DnsAddressRecord(DnsName Owner, ushort Type, int Ttl, IPAddress Address) : DnsRecord(Owner, Type, DnsType.ClassIn, Ttl);

/// <summary>Any other record: only its owner, type and class are kept.</summary>
internal sealed record DnsOtherRecord(DnsName Owner, ushort Type, ushort Class, int Ttl) : DnsRecord(Owner, Type, Class, Ttl);
