using System.Text;
using Reconciler.Core.Dns;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Dkim;

/// <summary>
/// DKIM domains: the host read (keys, records, opendkim's tables), the zone's nameservers asked by the controller, the
/// gate's decision as the plan (<see cref="DkimGate"/>), and apply as: DNS updates from the controller, then each
/// domain's host step (keys, records), then opendkim's files written once for the host and the daemon restarted.
/// </summary>
public sealed class DkimProvider : ResourceProvider<DkimDomainResource, DkimObserved>, IControllerFacts, IControllerApply
{
    /// <summary>The most nameserver addresses asked per domain, whatever the NS set says: the run's DNS work stays bounded.</summary>
    public const int MaxServers = 16;

    public override string Kind => DkimDomainResource.KindName;

    protected override string ReadScript(IReadOnlyList<DkimDomainResource> resources) => DkimFacts.ReadScript(resources);

    protected override IReadOnlyList<DkimObserved> ParseFacts(IReadOnlyList<DkimDomainResource> resources, FactAnswers answers) =>
        DkimFacts.Parse(Kind, answers[Kind], resources);

    public async Task<object> ObserveAsync(Resource resource, object observed, ControllerPorts ports, CancellationToken ct)
    {
        var d = (DkimDomainResource)resource;
        var o = (DkimObserved)observed;
        var asked = ports.Dns is { } dns
            ? o with { Dns = await AskAsync(d, o, dns, ct) }
            : o with { Dns = DkimDnsObserved.NotAsked(ports.Unavailable ?? "this run has no DNS client") };
        return asked with { DeadlinesPassed = DkimGate.DeadlinesPassed(d, asked) };
    }

    private static async Task<DkimDnsObserved> AskAsync(DkimDomainResource d, DkimObserved o, IAuthoritativeDns dns, CancellationToken ct)
    {
        var lookup = await dns.NameserversAsync(d.Dns.Zone, d.Dns.AskFirst(), ct);
        var servers = lookup is NameserverLookup.Found found ? found.Servers.Take(MaxServers).ToList() : [];
        var failed = lookup switch
        {
            NameserverLookup.Failed f => Printable(f.Reason, 200),
            NameserverLookup.Found { Servers.Count: 0 } => "the zone has no nameserver with an address",
            _ => null,
        };
        var primary = d.Dns is DkimDns.Rfc2136 rfc ? new Nameserver("primary", rfc.Endpoint().Address, rfc.Port) : null;
        // Every selector at every server (and the primary) at once: a slow server costs the domain one wait, not one per
        // selector; how many are in flight is the run's to bound (BudgetedDns).
        var asked = await Task.WhenAll(d.Selectors.Select(async s =>
        {
            var name = s.RecordName(d.Domain);
            var key = o.Key(s.Name).PublicKey;
            var atServers = Task.WhenAll(servers.Select(async server => Answer(server, await dns.TxtAsync(server, name, ct), key)));
            var atPrimary = primary is null ? Task.FromResult<NameserverAnswer?>(null) : AnswerAsync(primary);
            return (s.Name, Servers: await atServers, Primary: await atPrimary);

            async Task<NameserverAnswer?> AnswerAsync(Nameserver server) => Answer(server, await dns.TxtAsync(server, name, ct), key);
        }));
        var selectors = asked.ToDictionary(a => a.Name, a => (IReadOnlyList<NameserverAnswer>)a.Servers, StringComparer.Ordinal);
        var primaries = asked.Where(a => a.Primary is not null).ToDictionary(a => a.Name, a => a.Primary!, StringComparer.Ordinal);
        return new DkimDnsObserved(failed, servers.Select(Shown).ToList(), selectors, primaries);
    }

    /// <summary>What one server's answer means for a key; everything the server said is cut and escaped before it is kept.</summary>
    private static NameserverAnswer Answer(Nameserver server, TxtLookup lookup, string? publicKey) => lookup switch
    {
        TxtLookup.Found { Records.Count: > 1 } many => new(Shown(server), NameserverStatus.ServesOther, $"{many.Records.Count} TXT records (verifiers need exactly one)", MinTtl(many.Records)),
        TxtLookup.Found { Records: [var one] } => DkimTxt.PublicKeyOf(one.Joined) is { } p
            ? p == publicKey
                ? new(Shown(server), NameserverStatus.ServesThis, null, Math.Max(0, one.Ttl))
                : new(Shown(server), NameserverStatus.ServesOther, DkimTxt.Fingerprint(p[..Math.Min(p.Length, 4096)]), Math.Max(0, one.Ttl))
            : new(Shown(server), NameserverStatus.ServesOther, "a TXT record that is not a DKIM RSA key", Math.Max(0, one.Ttl)),
        TxtLookup.Found => new(Shown(server), NameserverStatus.Missing, null, 0),
        TxtLookup.Missing => new(Shown(server), NameserverStatus.Missing, null, 0),
        TxtLookup.Unreachable u => new(Shown(server), NameserverStatus.Unreachable, Printable(u.Reason, 200), 0),
        _ => new(Shown(server), NameserverStatus.Unreachable, "no answer", 0),
    };

    private static int MinTtl(IReadOnlyList<TxtRecord> records) => Math.Max(0, records.Min(r => r.Ttl));

    /// <summary>
    /// A nameserver as the plan names it: always with its address, so a long name (a hostile zone's, up to 253 characters,
    /// escaped) can neither push the address off the line nor make two servers one line: a cut name ends in a digest of
    /// the whole.
    /// </summary>
    internal static string Shown(Nameserver server)
    {
        var name = server.Name.Length <= MaxShownName
            ? server.Name
            : server.Name[..MaxShownName] + "…#" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(server.Name)))[..12];
        return PathRules.Printable((server with { Name = name }).ToString());
    }

    private const int MaxShownName = 80;

    private static string Printable(string text, int max) => PathRules.Printable(Excerpt.Cut(text, max));

    protected override ResourceChange Diff(DkimDomainResource desired, DkimObserved observed)
    {
        var decision = DkimGate.Decide(desired, observed);
        var notes = decision.Refused.Concat(decision.Waiting.Select(w => "waiting: " + w)).ToList();
        var note = notes.Count == 0 ? null : string.Join("; ", notes);
        if (decision.HostSteps || decision.DnsSteps || decision.SwitchesSigning)
        {
            var first = observed.Keys.All(k => k.Kind == "none") && observed.Host.SigningSelector(desired.Domain) is null;
            return new ResourceChange(desired.Address, first ? ChangeAction.Create : ChangeAction.Update, decision.Attributes, desired.Source, note)
            {
                Effects = decision.DeletesData ? ChangeEffects.DeletesData : ChangeEffects.None,
                Stepwise = true,
            };
        }

        if (decision.Refused.Count > 0)
        {
            return new ResourceChange(desired.Address, ChangeAction.Blocked, decision.Attributes, desired.Source, note);
        }

        return decision.Waiting.Count > 0
            ? new ResourceChange(desired.Address, ChangeAction.Skip, decision.Attributes, desired.Source, note)
            : ResourceChange.NoOp(desired);
    }

    protected override string ApplyScript(DkimDomainResource desired, DkimObserved observed, ResourceChange change) =>
        HostScript(desired, DkimGate.Decide(desired, observed));

    /// <summary>One domain's host step: its directories, new keys, fixed keys, the gate's records, retired keys.</summary>
    private static string HostScript(DkimDomainResource d, DkimDecision decision)
    {
        var script = new StringBuilder(Library).AppendLine();
        var domain = Sh.Quote(d.Domain);
        script.AppendLine($"rc_dkim_dirs {domain}");
        foreach (var s in decision.MakeKeys) script.AppendLine($"rc_dkim_make {domain} {Sh.Quote(s.Name)} {s.Bits}");
        foreach (var s in decision.FixKeys) script.AppendLine($"rc_dkim_fix {domain} {Sh.Quote(s)}");
        foreach (var s in decision.RecordSeen) script.AppendLine($"rc_dkim_record {domain} {Sh.Quote(s)} seen \"$(date +%s)\"");
        foreach (var s in decision.ClearSeen) script.AppendLine($"rc_dkim_forget {domain} {Sh.Quote(s)} seen");
        foreach (var s in decision.RecordUnsigned)
        {
            script.AppendLine($"rc_dkim_record {domain} {Sh.Quote(s)} unsigned \"$(date +%s)\"");
        }

        foreach (var s in decision.Retire) script.AppendLine($"rc_dkim_retire {domain} {Sh.Quote(s)}");
        return script.ToString().TrimEnd('\n');
    }

    /// <summary>
    /// Each changing domain's host step, then opendkim's files, once for the host, when what every domain signs with after
    /// this run (a blocked domain: what it signs with now) makes them differ from the host's; the daemon restarts with them.
    /// The files are left alone while any domain's tables say something nobody declared.
    /// </summary>
    protected override ChangeGroup? Group(IReadOnlyList<PlannedChange> planned)
    {
        var decided = planned.Select(p => (Planned: p, Domain: (DkimDomainResource)p.Resource, Decision: DkimGate.Decide((DkimDomainResource)p.Resource, (DkimObserved)p.Observed))).ToList();
        var steps = decided.Where(x => x.Planned.Change.Action.ChangesHost())
            .Select(x => new GroupStep(x.Domain, x.Decision.HostSteps ? HostScript(x.Domain, x.Decision) : ":"))
            .ToList();
        GroupEffect? effect = null;
        if (decided.Count > 0 && decided.All(x => x.Decision.TablesKnown))
        {
            var host = ((DkimObserved)decided[0].Planned.Observed).Host;
            var signing = decided.Select(x =>
            {
                var applies = x.Planned.Change.Action.ChangesHost();
                var live = host.SigningSelector(x.Domain.Domain);
                return (x.Domain, Selector: applies ? x.Decision.SigningAfter : live);
            }).ToList();
            var files = DkimConfig.Render(signing);
            var differ = files.Where(f => host.ConfigDigests.GetValueOrDefault(f.Path) != DkimConfig.Digest(f.Content)).ToList();
            if (differ.Count > 0)
            {
                if (steps.Count == 0)
                {
                    steps.Add(new GroupStep(decided[0].Domain, ":"));
                }

                var script = new StringBuilder(Library).AppendLine();
                script.AppendLine("rc_dkim_mkdir /etc/opendkim 755 root");
                foreach (var (path, content) in differ)
                {
                    script.AppendLine($"rc_dkim_install {Sh.Quote(path)} {Sh.Quote(Sh.Base64(content))}");
                }

                script.AppendLine($"rc_dkim_apply_config {string.Join(" ", differ.Select(f => Sh.Quote(f.Path)))}");
                // A key that stops signing in this run is recorded once the new tables are in place.
                foreach (var x in decided.Where(x => x.Planned.Change.Action.ChangesHost() && x.Decision.StopsSigning is not null))
                {
                    script.AppendLine($"rc_dkim_record {Sh.Quote(x.Domain.Domain)} {Sh.Quote(x.Decision.StopsSigning!)} unsigned \"$(date +%s)\"");
                }

                effect = new GroupEffect(DkimAttributeNames.Config, "opendkim", ChangeEffects.RestartsService, script.ToString().TrimEnd('\n'), null,
                    $"{string.Join(", ", differ.Select(f => Path.GetFileName(f.Path)))} {(differ.Count == 1 ? "is" : "are")} written and a running opendkim restarted");
            }
        }

        return steps.Count == 0 ? null : new ChangeGroup(steps, effect is null ? [] : [effect]);
    }

    /// <summary>The DNS updates the decision holds (RFC 2136 from the controller), before the host's step.</summary>
    public async Task<string?> ApplyAsync(PlannedChange planned, ControllerPorts ports, CancellationToken ct)
    {
        var d = (DkimDomainResource)planned.Resource;
        var decision = DkimGate.Decide(d, (DkimObserved)planned.Observed);
        if (!decision.DnsSteps || d.Dns is not DkimDns.Rfc2136 rfc) return null;
        if (ports.Dns is not { } dns) return ports.Unavailable ?? "this run has no DNS client to publish DKIM records with";
        foreach (var (selector, value) in decision.Publish)
        {
            var name = $"{selector}._domainkey.{d.Domain}";
            if (await dns.ReplaceTxtAsync(rfc.Target(), name, d.Ttl, DkimTxt.Strings(value), ct) is { } why)
            {
                return $"publishing {name} at {rfc.Endpoint()} failed: {Printable(why, 200)}";
            }
        }

        foreach (var selector in decision.Unpublish)
        {
            var name = $"{selector}._domainkey.{d.Domain}";
            if (await dns.DeleteTxtAsync(rfc.Target(), name, ct) is { } why)
            {
                return $"removing {name} at {rfc.Endpoint()} failed: {Printable(why, 200)}";
            }
        }

        return null;
    }

    private static string Library => ServiceControl.Source + "\n" + ShellFiles.Load("dkim.sh");
}
