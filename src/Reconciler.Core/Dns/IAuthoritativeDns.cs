using System.Net;

namespace Reconciler.Core.Dns;

/// <summary>
/// The controller's view of a zone's authoritative DNS: who serves it, what each server answers when asked directly
/// (never a recursive resolver, whose cache would hide a lagging or wrong server), and dynamic updates (RFC 2136, TSIG).
/// A port: the core plans with what it returns; the adapter (Reconciler.Dns) does the network I/O and bounds it.
/// Every method answers with a value, never throws for what a server did or did not say (a hostile or dead server is that
/// domain's problem, not the run's); only cancellation throws.
/// </summary>
public interface IAuthoritativeDns
{
    /// <summary>
    /// The zone's NS set and each nameserver's addresses, asked of <paramref name="askFirst"/> (an authoritative server of
    /// the zone, e.g. the update primary) or, when null, of the controller's resolver. Addresses come from the answer's
    /// glue/additional section or from A/AAAA queries of the same server.
    /// </summary>
    Task<NameserverLookup> NameserversAsync(string zone, IPEndPoint? askFirst, CancellationToken ct);

    /// <summary>The TXT records at <paramref name="name"/> as <paramref name="server"/> itself answers (no recursion asked).</summary>
    Task<TxtLookup> TxtAsync(Nameserver server, string name, CancellationToken ct);

    /// <summary>Replaces every TXT record at <paramref name="name"/> with one record of <paramref name="strings"/>; null when the server said NOERROR, else why not.</summary>
    Task<string?> ReplaceTxtAsync(DnsUpdateTarget target, string name, int ttl, IReadOnlyList<string> strings, CancellationToken ct);

    /// <summary>Deletes every TXT record at <paramref name="name"/>; null when the server said NOERROR, else why not.</summary>
    Task<string?> DeleteTxtAsync(DnsUpdateTarget target, string name, CancellationToken ct);
}

/// <summary>One address of one nameserver of a zone (a nameserver with two addresses is two of these), port 53 unless said.</summary>
public sealed record Nameserver(string Name, IPAddress Address, int Port = 53)
{
    public override string ToString() => Port == 53 ? $"{Name} ({Address})" : $"{Name} ({Address} port {Port})";
}

/// <summary>What asking for a zone's nameservers gave.</summary>
public abstract record NameserverLookup
{
    private NameserverLookup() { }

    /// <summary>Every address of every NS of the zone, ordered by name then address.</summary>
    public sealed record Found(IReadOnlyList<Nameserver> Servers) : NameserverLookup;

    /// <summary>No NS set could be had (unreachable, refused, garbage, no addresses); <paramref name="Reason"/> is one line.</summary>
    public sealed record Failed(string Reason) : NameserverLookup;
}

/// <summary>One TXT record: its character-strings as the server sent them, and its TTL.</summary>
public sealed record TxtRecord(IReadOnlyList<string> Strings, int Ttl)
{
    /// <summary>The record's value: its strings joined with nothing between them (RFC 6376 3.6.2.2), never compared string by string.</summary>
    public string Joined => string.Concat(Strings);
}

/// <summary>What one nameserver answered for one name's TXT records.</summary>
public abstract record TxtLookup
{
    private TxtLookup() { }

    /// <summary>An authoritative answer with these records (bounded: at most a few records of a few kilobytes).</summary>
    public sealed record Found(IReadOnlyList<TxtRecord> Records) : TxtLookup;

    /// <summary>An authoritative answer with no TXT record there (NXDOMAIN or NODATA).</summary>
    public sealed record Missing : TxtLookup;

    /// <summary>No usable answer: timeout, refused, not authoritative, truncated garbage, too large; one line.</summary>
    public sealed record Unreachable(string Reason) : TxtLookup;
}

/// <summary>
/// Where and as whom a dynamic update is sent: the zone's primary, the zone, and the TSIG key (name, algorithm such as
/// hmac-sha256, base64 secret). The secret is sensitive: it goes to the adapter and nowhere else.
/// </summary>
public sealed record DnsUpdateTarget(IPEndPoint Server, string Zone, string KeyName, string Algorithm, string Secret)
{
    // The secret stays out of every string a record makes of itself (logs, exceptions, debugger views).
    public override string ToString() => $"{Zone} at {Server} (key {KeyName}, {Algorithm})";
}
