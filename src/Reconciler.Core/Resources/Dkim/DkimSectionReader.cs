using Reconciler.Core.Facts;
using System.Net;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Dkim;

/// <summary>
/// Reads <c>dkim:</c> into one resource per domain. The seed's choices that no longer hold are refused here with the
/// replacement named (the schema alone would only say "not allowed"): dkimproxy, DomainKeys, a 768-bit key.
/// </summary>
internal static class DkimSectionReader
{
    public const int DefaultBits = 2048;
    public const int DefaultTtl = 300;
    /// <summary>A port below 1024, which only root can bind (opendkim does, before dropping to its user): see the schema's milter_port.</summary>
    public const int DefaultMilterPort = 891;
    public static readonly TimeSpan DefaultKeep = TimeSpan.FromDays(7);

    private static readonly int[] AllowedBits = [1024, 2048, 3072, 4096];

    public static IEnumerable<DkimDomainResource> Read(SpecMapping file, SpecReading reading)
    {
        foreach (var item in file.Items(DkimKind.Section).OfType<SpecMapping>())
        {
            if (ReadDomain(item, reading) is { } domain)
            {
                yield return domain;
            }
        }
    }

    private static DkimDomainResource? ReadDomain(SpecMapping item, SpecReading reading)
    {
        var errors = reading.Diagnostics.Count;
        void Error(string message, SourceLocation at) => reading.Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, message, at));

        var domainNode = item.Scalar("domain")!;
        var domain = domainNode.RawText;
        if (!DkimNames.IsDomain(domain))
        {
            Error($"DKIM domain '{Printable(domain)}' is not a domain name (lower-case letter-digit-hyphen labels joined by dots)", domainNode.Location);
        }

        if (item.Scalar("signer") is { } signer && signer.RawText != "opendkim")
        {
            Error(signer.RawText == "dkimproxy"
                ? "signer dkimproxy is not packaged in Debian 12 and is unmaintained: use signer: opendkim (a milter Postfix calls through smtpd_milters), which signs the same mail"
                : $"signer '{Printable(signer.RawText)}' is not known: the signer is opendkim", signer.Location);
        }

        foreach (var signature in item.Items("signatures").OfType<SpecScalar>())
        {
            if (signature.RawText == "domainkeys")
            {
                Error("DomainKeys signatures are historic (RFC 4870, superseded by DKIM, RFC 6376) and no verifier checks them: list only dkim", signature.Location);
            }
            else if (signature.RawText != "dkim")
            {
                Error($"signature '{Printable(signature.RawText)}' is not known: the only signature is dkim", signature.Location);
            }
        }

        var selectors = new List<DkimSelector>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in item.Items("selectors").OfType<SpecMapping>())
        {
            var name = s.Scalar("name")!;
            if (!DkimNames.IsSelector(name.RawText))
            {
                Error($"selector '{Printable(name.RawText)}' is not one lower-case letter-digit-hyphen label", name.Location);
                continue;
            }

            if (!names.Add(name.RawText))
            {
                reading.Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.DuplicateName, $"selector {name.RawText} is declared twice for {domain}", name.Location));
                continue;
            }

            var bits = DefaultBits;
            if (s.Scalar("bits") is { } bitsNode)
            {
                bits = bitsNode.Value is long b && b is >= 0 and <= 65536 ? (int)b : -1;
                if (bits < 1024)
                {
                    Error($"a {bitsNode.RawText}-bit key is refused: RFC 8301 forbids DKIM keys under 1024 bits (the seed's 768-bit key can be forged); use 2048", bitsNode.Location);
                }
                else if (!AllowedBits.Contains(bits))
                {
                    Error($"bits {bitsNode.RawText}: DKIM keys here are 1024, 2048 (the default), 3072 or 4096 bits", bitsNode.Location);
                }
            }

            var state = s.Text("state") switch
            {
                "published" => SelectorState.Published,
                "retired" => SelectorState.Retired,
                _ => SelectorState.Active,
            };
            selectors.Add(new DkimSelector(name.RawText, bits, state, s.Location));
        }

        var active = selectors.Where(s => s.State == SelectorState.Active).ToList();
        if (active.Count > 1)
        {
            Error($"{domain} declares {active.Count} active selectors ({string.Join(", ", active.Select(s => s.Name))}): one signs at a time; mark the others published", active[1].Source);
        }

        var dnsNode = item.Mapping("dns")!;
        var zoneNode = dnsNode.Scalar("zone")!;
        var zone = zoneNode.RawText;
        if (!DkimNames.IsDomain(zone))
        {
            Error($"zone '{Printable(zone)}' is not a domain name", zoneNode.Location);
        }
        else if (!DkimNames.InZone(domain, zone))
        {
            Error($"{domain}'s records cannot live in zone {zone}: the zone must be the domain or a parent of it", zoneNode.Location);
        }

        var dns = ReadDns(dnsNode, zone, reading, Error);
        var ttl = item.Scalar("ttl")?.Value is long t ? (int)t : DefaultTtl;
        var keep = DefaultKeep;
        if (item.Scalar("keep_after_switch") is { } keepNode)
        {
            keep = DkimNames.Duration(keepNode.RawText) ?? DefaultKeep;
        }

        var trusted = item.Items("trusted_hosts").OfType<SpecScalar>().Select(h => h.RawText).ToList();
        foreach (var host in item.Items("trusted_hosts").OfType<SpecScalar>().Where(h => !IsNetwork(h.RawText)))
        {
            Error($"trusted host '{Printable(host.RawText)}' is not an IP address or network (address/prefix)", host.Location);
        }

        var port = item.Scalar("milter_port")?.Value is long p ? (int)p : DefaultMilterPort;
        return reading.Diagnostics.Count > errors || dns is null
            ? null
            : new DkimDomainResource(domain, selectors, dns, ttl, keep, trusted, port, item.Location);
    }

    private static DkimDns? ReadDns(SpecMapping dns, string zone, SpecReading reading, Action<string, SourceLocation> error)
    {
        var rfc = dns.Mapping("rfc2136");
        var manual = dns.Mapping("manual");
        if ((rfc is null) == (manual is null))
        {
            error("dns names exactly one of rfc2136 (dynamic updates from the controller) or manual (records added by hand)", dns.Location);
            return null;
        }

        if (manual is not null)
        {
            string? ask = null;
            if (manual.Scalar("ask") is { } askNode)
            {
                if (!IPAddress.TryParse(askNode.RawText, out var address))
                {
                    error($"ask '{Printable(askNode.RawText)}' is not an IP address", askNode.Location);
                    return null;
                }

                ask = address.ToString();
            }

            return new DkimDns.Manual(zone, ask);
        }

        return ReadRfc2136(rfc!, zone, reading, error);
    }

    private static DkimDns? ReadRfc2136(SpecMapping rfc, string zone, SpecReading reading, Action<string, SourceLocation> error)
    {
        var serverNode = rfc.Scalar("server")!;
        if (!IPAddress.TryParse(serverNode.RawText, out var server))
        {
            error($"server '{Printable(serverNode.RawText)}' is not an IP address", serverNode.Location);
            return null;
        }

        var keyName = rfc.Scalar("key_name")!;
        if (!DkimNames.IsKeyName(keyName.RawText))
        {
            error($"key_name '{Printable(keyName.RawText)}' is not a TSIG key name", keyName.Location);
            return null;
        }

        if (!SecretReferences.IsReference(rfc["secret"]))
        {
            error("the TSIG secret is given by reference only ({ secret: NAME }): it must not be in the repository", rfc["secret"]?.Location ?? rfc.Location);
            return null;
        }

        var secret = SecretReferences.Resolve(rfc["secret"]!, reading.Secrets, reading.Diagnostics);
        // Its form (base64) is the update's to judge: validate may read a stand-in for it (--secrets-by-name).
        if (secret is null) return null;

        var port = rfc.Scalar("port")?.Value is long p ? (int)p : 53;
        return new DkimDns.Rfc2136(zone, server.ToString(), port, keyName.RawText, rfc.Text("algorithm") ?? "hmac-sha256", secret);
    }

    private static bool IsNetwork(string text)
    {
        var slash = text.IndexOf('/');
        var address = slash < 0 ? text : text[..slash];
        return IPAddress.TryParse(address, out var ip) &&
               (slash < 0 || (int.TryParse(text[(slash + 1)..], out var prefix) && prefix >= 0 && prefix <= (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)));
    }

    /// <summary>Quoted text from a spec, control characters escaped, cut: a hostile name cannot forge lines in a message.</summary>
    private static string Printable(string text)
    {
        var cut = Excerpt.Cut(text, 80);
        return PathRules.Printable(cut);
    }
}
