using System.Net;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Dns;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Dkim;

/// <summary>What a selector should be: signing (or about to), published but not signing, or gone.</summary>
public enum SelectorState
{
    /// <summary>The key that signs: made, published, and switched to once every nameserver serves it for a TTL.</summary>
    Active,

    /// <summary>Its record stays published (verifiers may still hold mail it signed); it signs only until an active key may take over.</summary>
    Published,

    /// <summary>Its record removed and its key deleted, once it has not signed for <see cref="DkimDomainResource.KeepAfterSwitch"/>.</summary>
    Retired,
}

/// <summary>One selector of a domain: its name, key size and state.</summary>
public sealed record DkimSelector(string Name, int Bits, SelectorState State, SourceLocation Source)
{
    /// <summary>The owner name of its TXT record.</summary>
    public string RecordName(string domain) => $"{Name}._domainkey.{domain}";
}

/// <summary>Where a domain's DKIM records are published.</summary>
public abstract record DkimDns(string Zone)
{
    /// <summary>Dynamic updates (RFC 2136) to the zone's primary, signed with a TSIG key; the secret is sensitive.</summary>
    /// <remarks>Addresses are kept as text (the desired state is serialized for its digest; an IPAddress does not serialize).</remarks>
    public sealed record Rfc2136(string Zone, string Server, int Port, string KeyName, string Algorithm, string Secret) : DkimDns(Zone)
    {
        public IPEndPoint Endpoint() => new(IPAddress.Parse(Server), Port);

        public DnsUpdateTarget Target() => new(Endpoint(), Zone, KeyName, Algorithm, Secret);

        // The secret is never part of a string this record makes (logs, exceptions, plan text).
        public override string ToString() => $"rfc2136 {Zone} at {Endpoint()} (key {KeyName}, {Algorithm})";
    }

    /// <summary>Published by hand: the plan prints the record to add; <paramref name="Ask"/> is where the NS set is asked (null: the controller's resolver).</summary>
    public sealed record Manual(string Zone, string? Ask) : DkimDns(Zone);

    /// <summary>The server the zone's NS set is asked of.</summary>
    public IPEndPoint? AskFirst() => this switch
    {
        Rfc2136 r => r.Endpoint(),
        Manual { Ask: { } ask } => new IPEndPoint(IPAddress.Parse(ask), 53),
        _ => null,
    };
}

/// <summary>
/// A mail domain's DKIM signing through opendkim: its selectors, where their records are published, the TTL they are
/// published with, how long a replaced key's record stays, and the hosts whose mail opendkim signs (besides localhost).
/// One resource per domain, as a rotation moves several selectors at once.
/// </summary>
public sealed record DkimDomainResource(
    string Domain, IReadOnlyList<DkimSelector> Selectors, DkimDns Dns, int Ttl, TimeSpan KeepAfterSwitch,
    IReadOnlyList<string> TrustedHosts, int MilterPort, SourceLocation Source) : Resource(Source), IReachedFromController
{
    public const string KindName = "dkim";

    /// <summary>
    /// Where the controller asks for this domain's records: the zone and the server its NS set is asked of (the update
    /// primary, manual's ask, or the controller's resolver). Every nameserver then asked is that answer's, so a change
    /// that keeps both asks where its base asked.
    /// </summary>
    public string ControllerReach => Dns switch
    {
        DkimDns.Rfc2136 rfc => $"the nameservers of zone {Dns.Zone} as {rfc.Endpoint()} names them",
        DkimDns.Manual { Ask: { } ask } => $"the nameservers of zone {Dns.Zone} as {ask} names them",
        _ => $"the nameservers of zone {Dns.Zone} as the controller's resolver names them",
    };

    public override ResourceAddress Address => new(KindName, Domain);

    /// <summary>The selector declared to sign, if any.</summary>
    public DkimSelector? ActiveSelector => Selectors.FirstOrDefault(s => s.State == SelectorState.Active);

    /// <summary>Never prints the TSIG secret, whoever formats the record.</summary>
    public override string ToString() =>
        $"{nameof(DkimDomainResource)} {{ {Address}, Selectors = {string.Join(", ", Selectors.Select(s => $"{s.Name} {s.State} {s.Bits}"))}, Dns = {Dns} }}";
}
