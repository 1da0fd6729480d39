using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.Postfix;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Dkim;

/// <summary>
/// <c>dkim: [ { domain, selectors, dns, ... } ]</c> — DKIM signing by opendkim: keys made on the host, records published
/// and verified on every authoritative nameserver before a key signs, rotation one safe step per run (<see cref="DkimGate"/>).
/// </summary>
public sealed class DkimKind : IResourceKind
{
    public const string Section = "dkim";

    public IReadOnlyList<string> Sections => [Section];

    public IReadOnlyList<string> PlanKinds => [DkimDomainResource.KindName];

    public IReadOnlyList<Type> ResourceTypes => [typeof(DkimDomainResource)];

    /// <summary>After the packages (opendkim and openssl installed) and the files: the signer's files exist before postfix and the services use them.</summary>
    public IReadOnlyList<Type> After => [typeof(Packages.PackagesKind), typeof(FileKind)];

    public string SchemaFragment => Resources.SchemaFragment.Of(GetType(), "dkim.schema.json");

    public IReadOnlyList<KindGrammar> Grammars =>
    [
        new("definitions/dkim_domain/properties/domain/pattern", DkimNames.DomainPattern),
        new("definitions/dkim_dns/properties/zone/pattern", DkimNames.DomainPattern),
        new("definitions/dkim_selector/properties/name/pattern", DkimNames.SelectorPattern),
        new("definitions/dkim_rfc2136/properties/key_name/pattern", DkimNames.KeyNamePattern),
        new("definitions/dkim_domain/properties/keep_after_switch/pattern", DkimNames.DurationPattern),
    ];

    public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading) =>
        DkimSectionReader.Read(file, reading).Select(d => new ResourceDeclaration(d, null));

    public IReadOnlyList<IResourceProvider> CreateProviders() => [new DkimProvider()];

    public string Identity(Resource resource) => resource.Address.ToString();

    /// <summary>
    /// One opendkim per host: its domains agree on the milter port; and where the host's Postfix is declared, it hands
    /// mail to that milter (smtpd_milters and non_smtpd_milters), or nothing would be signed.
    /// </summary>
    public IEnumerable<Diagnostic> Check(IReadOnlyList<Resource> resources)
    {
        var domains = resources.OfType<DkimDomainResource>().ToList();
        if (domains.Count == 0) yield break;
        var port = domains[0].MilterPort;
        foreach (var other in domains.Where(d => d.MilterPort != port))
        {
            yield return Diagnostic.Error(DiagnosticCodes.InvalidValue,
                $"{other.Address} names milter_port {other.MilterPort}, {domains[0].Address} {port}: one opendkim signs every domain of a host", other.Source);
        }

        var main = resources.OfType<PostfixMainResource>().ToDictionary(p => p.Parameter, StringComparer.Ordinal);
        if (main.Count == 0) yield break;
        var milter = $"inet:127.0.0.1:{port}";
        bool Names(string parameter) => main.TryGetValue(parameter, out var p) &&
            (p.Value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).Any(m => m == milter || m == $"inet:localhost:{port}") ||
             parameter == "non_smtpd_milters" && p.Value.Trim() == "$smtpd_milters" && Names("smtpd_milters"));
        foreach (var parameter in new[] { "smtpd_milters", "non_smtpd_milters" }.Where(p => !Names(p)))
        {
            yield return Diagnostic.Error(DiagnosticCodes.UnknownTarget,
                $"{domains[0].Address}: postfix does not hand mail to opendkim: declare postfix main {parameter}: {(parameter == "smtpd_milters" ? milter : "$smtpd_milters")} (and milter_default_action: tempfail, so mail waits rather than leaves unsigned when opendkim is down)",
                main.TryGetValue(parameter, out var at) ? at.Source : domains[0].Source);
        }
    }

    /// <summary>
    /// Names are refused outside their grammar (domains, selectors, addresses), so the hostile text cannot reach a script;
    /// the sample makes every step write: a key made, the tables and opendkim.conf written, the daemon restarted.
    /// </summary>
    public IReadOnlyList<HostileSample> HostileSamples(HostileText hostile) =>
    [
        new("dkim", new DkimProvider(),
            [
                new DkimDomainResource("example.test", [new DkimSelector("default", 2048, SelectorState.Active, HostileSample.At)],
                    new DkimDns.Manual("example.test", null), 300, TimeSpan.FromDays(7), ["192.0.2.0/24"], 891, HostileSample.At),
            ],
            [
                "NOW\t1800000000", "OPENSSL\tyes", "OPENDKIM\tyes",
                "CONF\t/etc/opendkim/KeyTable\t-", "CONF\t/etc/opendkim/SigningTable\t-", "CONF\t/etc/opendkim/TrustedHosts\t-", "CONF\t/etc/opendkim.conf\t-",
                "DIR\t0\tnone\t-\t-\t-", "KEY\t0\tdefault\tnone\t-\t-\t-\t-\t-\t-\t-",
            ]),
    ];
}
