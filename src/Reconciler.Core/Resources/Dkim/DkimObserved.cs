using System.Text.Json.Serialization;

namespace Reconciler.Core.Resources.Dkim;

/// <summary>What the host says about its signer, once per host: its clock, its tools, and opendkim's files as they are.</summary>
/// <param name="Now">
/// The host's clock (seconds since the epoch): every time a gate compares is the host's, as the host records them. Not in
/// the plan's fingerprint (it moves every second); <see cref="DkimObserved.DeadlinesPassed"/> is, in its place.
/// </param>
/// <param name="ConfigDigests">SHA-256 of each file the kind writes (opendkim.conf, KeyTable, SigningTable, TrustedHosts), null when absent.</param>
/// <param name="Signing">The SigningTable's lines as (pattern, key name).</param>
/// <param name="Keys">The KeyTable's lines as key name → "domain:selector:path".</param>
public sealed record DkimHostFacts(
    [property: JsonIgnore] long Now, bool OpenSsl, bool OpenDkim,
    IReadOnlyDictionary<string, string?> ConfigDigests,
    IReadOnlyList<KeyValuePair<string, string>> Signing,
    IReadOnlyDictionary<string, string> Keys)
{
    /// <summary>
    /// Why opendkim's files are neither trusted nor written (a table another user may edit, a directory on the way another
    /// user controls), or null; the read then printed no table line.
    /// </summary>
    public string? TablesRefused { get; init; }

    /// <summary>The selector the live tables sign <paramref name="domain"/>'s mail with, or null; "?" when the tables say something this kind does not write.</summary>
    public string? SigningSelector(string domain)
    {
        var entries = Signing.Where(e => e.Key == "*@" + domain).ToList();
        if (entries.Count == 0) return null;
        if (entries.Count > 1) return "?";
        var keyName = entries[0].Value;
        if (!Keys.TryGetValue(keyName, out var key)) return "?";
        var parts = key.Split(':');
        return parts.Length == 3 && DkimNames.IsSelector(parts[1]) && parts[0] == domain && keyName == $"{parts[1]}._domainkey.{domain}" &&
               parts[2] == DkimPaths.KeyFile(domain, parts[1])
            ? parts[1]
            : "?";
    }
}

/// <summary>One selector's key on the host and the kind's records of it.</summary>
/// <param name="Kind">"file", "none" (no key yet) or what else is there ("symlink", "directory"...).</param>
/// <param name="PublicKey">Base64 of the key's public half (DER SubjectPublicKeyInfo), as openssl derives it from the private key; null if unreadable.</param>
/// <param name="Seen">When a run first saw every nameserver serve this key (host clock), if it did.</param>
/// <param name="Unsigned">When this key stopped signing (host clock), if it did.</param>
/// <param name="RecordedPublic">SHA-256 of the public half recorded when the key was made, if it was made here.</param>
public sealed record DkimKeyObserved(
    string Selector, string Kind, string? Mode, string? Owner, string? Group, string? PublicKey,
    long? Seen, long? Unsigned, string? RecordedPublic)
{
    public bool Exists => Kind == "file";
}

/// <summary>What one nameserver serves for one selector's record.</summary>
public enum NameserverStatus
{
    /// <summary>Exactly this key (one TXT record, v=DKIM1 if given, p= equal to the key's public half).</summary>
    ServesThis,

    /// <summary>A record, but not this key (another p=, several records, no p=).</summary>
    ServesOther,

    /// <summary>No TXT record there (authoritatively).</summary>
    Missing,

    /// <summary>No usable answer.</summary>
    Unreachable,
}

/// <summary>One nameserver's answer for one selector, as the plan shows it (strings only: the fingerprint hashes this).</summary>
/// <param name="Server">"ns1.example.test (192.0.2.1)".</param>
/// <param name="Detail">
/// For another key, its fingerprint; for an unreachable server, why (escaped, bounded). The fingerprint holds it as
/// <see cref="Compared"/>: why a server did not answer varies with timing (which try timed out, what else arrived) while
/// the gate's decision does not, and a saved plan must not go stale over it.
/// </param>
public sealed record NameserverAnswer(string Server, NameserverStatus Status, [property: JsonIgnore] string? Detail, int Ttl)
{
    /// <summary>What a saved plan's fingerprint holds of <see cref="Detail"/>: all of it but an unreachable server's reason.</summary>
    public string? Compared => Status == NameserverStatus.Unreachable ? null : Detail;
}

/// <summary>What the zone's nameservers serve for each selector, asked by the controller; <see cref="Failed"/> when the NS set itself could not be had.</summary>
/// <param name="Failed">Why the NS set could not be had; in the fingerprint only as <see cref="NameserversFailed"/> (the reason varies with timing).</param>
/// <param name="Primary">For RFC 2136, what the update primary itself serves for each selector (it may be hidden: not in the NS set).</param>
public sealed record DkimDnsObserved(
    [property: JsonIgnore] string? Failed, IReadOnlyList<string> Servers,
    IReadOnlyDictionary<string, IReadOnlyList<NameserverAnswer>> Selectors,
    IReadOnlyDictionary<string, NameserverAnswer> Primary)
{
    public bool NameserversFailed => Failed is not null;

    public static DkimDnsObserved NotAsked(string why) =>
        new(why, [], new Dictionary<string, IReadOnlyList<NameserverAnswer>>(), new Dictionary<string, NameserverAnswer>());
}

/// <summary>One domain as observed: the host's facts (shared by the host's domains), its keys, and (after the controller asked) its DNS.</summary>
/// <param name="FirstOnHost">The first of the host's domains: host-wide drift (opendkim.conf changed by hand) is shown on it once.</param>
public sealed record DkimObserved(DkimHostFacts Host, IReadOnlyList<DkimKeyObserved> Keys, bool FirstOnHost, DkimDnsObserved? Dns)
{
    /// <summary>Why the ways to the domain's keys and records are not trusted (another user controls a directory on them), or null; nothing of the domain was read then.</summary>
    public string? Refused { get; init; }

    /// <summary>The domain's key directory (its kind, mode, owner, group); its Selector is empty.</summary>
    public DkimKeyObserved? KeyDirectory { get; init; }

    /// <summary>The gate's deadlines the host's clock had passed at this read (<see cref="DkimGate.DeadlinesPassed"/>): what the fingerprint holds of the clock.</summary>
    public IReadOnlyList<string> DeadlinesPassed { get; init; } = [];

    public DkimKeyObserved Key(string selector) =>
        Keys.FirstOrDefault(k => k.Selector == selector) ?? new DkimKeyObserved(selector, "none", null, null, null, null, null, null, null);
}
