using System.Net;

namespace Reconciler.Dns;

/// <summary>
/// How long the adapter waits and how much it accepts. A zone's nameserver may be hostile (a domain's owner controls
/// it), so every answer is bounded: far above an honest DKIM or NS answer, far below what would cost the run memory.
/// </summary>
public sealed record AuthoritativeDnsOptions
{
    public static AuthoritativeDnsOptions Default { get; } = new();

    /// <summary>How long one try of one query waits for its answer (UDP, or the TCP exchange after a truncated one).</summary>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How many times a query is sent over UDP before the server is called unreachable.</summary>
    public int Tries { get; init; } = 2;

    /// <summary>What one call may take in all, whatever the server does (answers slowly, trickles bytes, many NS names).</summary>
    public TimeSpan CallDeadline { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>TXT records at one name (a DKIM selector has one).</summary>
    public int MaxTxtRecords { get; init; } = 16;

    /// <summary>One TXT record's strings joined, in bytes (a 4096-bit RSA key's record is about 740).</summary>
    public int MaxTxtRecordBytes { get; init; } = 16 * 1024;

    /// <summary>Character-strings in one TXT record.</summary>
    public int MaxTxtStrings { get; init; } = 128;

    /// <summary>NS names of one zone.</summary>
    public int MaxNameservers { get; init; } = 16;

    /// <summary>Addresses (A and AAAA together) of one NS name.</summary>
    public int MaxAddressesPerNameserver { get; init; } = 8;

    /// <summary>
    /// The resolvers asked when a zone's nameservers are looked up without a server to ask first; null is the
    /// controller's own (resolv.conf). Tests set their own, so nothing leaves the machine.
    /// </summary>
    public IReadOnlyList<IPEndPoint>? Resolvers { get; init; }
}
