using System.Globalization;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.Dkim;

/// <summary>
/// What one run does for a domain, decided from what the host and the nameservers showed: the next safe step of each
/// selector, never more. A key is made; then published; then seen on every authoritative nameserver; then, a TTL later,
/// it signs — and the key it replaces keeps signing until that moment, then keeps its record for keep_after_switch
/// before it may be retired. Pure: the same observation always gives the same decision, so apply re-derives exactly
/// what the plan showed.
/// </summary>
public sealed record DkimDecision
{
    public List<AttributeChange> Attributes { get; } = [];

    /// <summary>Why a step cannot be taken this run and will be by a later one (the plan's "waiting: ...").</summary>
    public List<string> Waiting { get; } = [];

    /// <summary>What nobody but a person can fix (a wrong record under manual DNS, a key that changed): the domain is blocked when nothing else is to do.</summary>
    public List<string> Refused { get; } = [];

    public List<DkimSelector> MakeKeys { get; } = [];

    public List<string> FixKeys { get; } = [];

    public bool FixDirectory { get; set; }

    public List<(string Selector, string Value)> Publish { get; } = [];

    public List<string> Unpublish { get; } = [];

    public List<string> RecordSeen { get; } = [];

    public List<string> ClearSeen { get; } = [];

    /// <summary>Selectors that stop signing in this run (recorded once the new tables are in place) or whose stop was never recorded.</summary>
    public List<string> RecordUnsigned { get; } = [];

    public List<string> Retire { get; } = [];

    /// <summary>The selector signing after this run (null: the domain's mail is not signed yet).</summary>
    public string? SigningAfter { get; set; }

    /// <summary>Whether the host's tables may be rewritten for this domain (not while they sign with a key nobody declared).</summary>
    public bool TablesKnown { get; set; } = true;

    public bool HostSteps => MakeKeys.Count + FixKeys.Count + RecordSeen.Count + ClearSeen.Count + Retire.Count > 0 || FixDirectory ||
                             RecordUnsigned.Count > 0;

    public bool DnsSteps => Publish.Count + Unpublish.Count > 0;

    public bool SwitchesSigning { get; set; }

    /// <summary>The declared selector that stops signing in this run's switch: its stop is recorded once the new tables are in place.</summary>
    public string? StopsSigning { get; set; }

    public bool DeletesData => Retire.Count > 0 || Unpublish.Count > 0;
}

public static class DkimGate
{
    public const string KeyMode = "600";
    public const string KeyUser = "opendkim";
    public const string DirectoryMode = "750";

    public static DkimDecision Decide(DkimDomainResource d, DkimObserved o)
    {
        var decision = new DkimDecision();
        if (!o.Host.OpenSsl) decision.Refused.Add("openssl is not installed on the host (declare the package openssl): keys are made and read with it");
        if (!o.Host.OpenDkim) decision.Refused.Add("opendkim is not installed on the host (declare the package opendkim)");
        if (decision.Refused.Count > 0) return decision;

        // Root reads and writes the kind's files only where root alone controls the way: another user's table or
        // directory could plant a "served since", a key or a signing line, or turn a write into one elsewhere.
        if (o.Host.TablesRefused is { } tables)
        {
            decision.TablesKnown = false;
            decision.Refused.Add($"opendkim's files are neither read nor written: {tables}; make them and their directories root's alone (check what they say), then plan again");
            return decision;
        }

        if (o.Refused is { } refused)
        {
            decision.Refused.Add($"{d.Domain}'s keys and records are neither read nor written: {refused}; make the directories root's alone (check what they hold), then plan again");
            return decision;
        }

        var dns = o.Dns ?? DkimDnsObserved.NotAsked("the nameservers were not asked");
        var now = o.Host.Now;
        var live = o.Host.SigningSelector(d.Domain);
        var declared = d.Selectors.ToDictionary(s => s.Name, StringComparer.Ordinal);
        if (live is not null && (!declared.TryGetValue(live, out var liveSelector) || liveSelector.State == SelectorState.Retired && !o.Key(live).Exists))
        {
            // Rewriting the tables would stop signing (or sign with something else) without anyone having declared it.
            decision.TablesKnown = false;
            decision.Refused.Add(live == "?"
                ? $"opendkim's tables sign {d.Domain} in a way this kind does not write (edited by hand): declare the selector they use, or remove the lines"
                : $"opendkim signs {d.Domain} with selector {live}, which is not declared: declare it (published keeps it signing until the active selector takes over)");
        }

        if (o.KeyDirectory is { } dir && dir.Kind != "none" &&
            (dir.Kind != "directory" || dir.Mode != DirectoryMode || dir.Owner != "root" || dir.Group != KeyUser))
        {
            if (dir.Kind != "directory")
            {
                decision.Refused.Add($"{DkimPaths.KeyDirectory(d.Domain)} is a {dir.Kind}, not a directory: nothing is written there");
                return decision;
            }

            decision.FixDirectory = true;
            decision.Attributes.Add(AttributeChange.Of(DkimAttributeNames.KeyDirectory, $"{dir.Mode} {dir.Owner}:{dir.Group}", $"{DirectoryMode} root:{KeyUser}"));
        }

        var ready = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var s in d.Selectors)
        {
            ready[s.Name] = Selector(d, s, o, dns, live, now, decision);
        }

        if (dns.Failed is { } failed)
        {
            // Nothing is published or switched without the nameservers' word; a key that signs keeps signing.
            var line = $"the nameservers of {d.Dns.Zone} could not be asked: {failed}";
            (live is not null && declared.ContainsKey(live) ? decision.Refused : decision.Waiting).Add(line);
        }

        // The switch: the active selector signs once it is ready; until then whatever signs keeps signing.
        var active = d.ActiveSelector;
        decision.SigningAfter = live is not null && declared.ContainsKey(live) ? live : null;
        if (active is not null && live != active.Name && decision.TablesKnown && ready[active.Name])
        {
            decision.SigningAfter = active.Name;
            decision.SwitchesSigning = true;
            decision.Attributes.Add(AttributeChange.Of(DkimAttributeNames.Signing, live ?? "(not signing)", active.Name));
            decision.StopsSigning = live is not null && declared.ContainsKey(live) ? live : null;
        }

        return decision;
    }

    /// <summary>One selector's step; true when it is ready to sign (made, served exactly by every nameserver for a TTL).</summary>
    private static bool Selector(DkimDomainResource d, DkimSelector s, DkimObserved o, DkimDnsObserved dns, string? live, long now, DkimDecision decision)
    {
        var key = o.Key(s.Name);
        var path = DkimPaths.KeyFile(d.Domain, s.Name);
        var answers = dns.Selectors.GetValueOrDefault(s.Name) ?? [];
        var primary = dns.Primary.GetValueOrDefault(s.Name);
        var manual = d.Dns is DkimDns.Manual;
        var signing = live == s.Name;
        var recordName = s.RecordName(d.Domain);

        if (s.State == SelectorState.Retired)
        {
            return Retired(d, s, o, dns, answers, primary, signing, now, decision);
        }

        if (key.Kind == "none")
        {
            decision.MakeKeys.Add(s);
            decision.Attributes.Add(AttributeChange.Of(DkimAttributeNames.Key(s.Name), null, $"RSA {s.Bits}-bit, made on the host in {DkimPaths.KeyDirectory(d.Domain)}"));
            decision.Attributes.Add(new AttributeChange(DkimAttributeNames.Record(s.Name), PlanValue.Of(null),
                new PlanValue.Withheld("the public key exists once the host has made it", $"{recordName} TXT \"v=DKIM1; k=rsa; p=…\"")));
            if (s.State == SelectorState.Active) decision.Waiting.Add($"{s.Name}'s key is made in this run; it is published by the next");
            return false;
        }

        if (!key.Exists)
        {
            decision.Refused.Add($"{path} is a {key.Kind}, not a key file: nothing is read or written there");
            return false;
        }

        if (key.PublicKey is not { } pub || DkimTxt.Bits(pub) is not { } bits)
        {
            decision.Refused.Add($"{path} is not an RSA private key openssl can read");
            return false;
        }

        if (key.RecordedPublic is { } recorded && recorded != DkimTxt.RecordedDigest(pub))
        {
            decision.Refused.Add($"{path}'s public half ({DkimTxt.Fingerprint(pub)}) is not the one recorded when it was made: the key was replaced on the host; declare a new selector for a new key");
            return false;
        }

        if (bits != s.Bits)
        {
            decision.Refused.Add($"{s.Name}'s key is {bits} bits, declared {s.Bits}: a key's size changes by rotation to a new selector, never in place");
            return false;
        }

        if (key.Mode != KeyMode || key.Owner != KeyUser || key.Group != KeyUser)
        {
            decision.FixKeys.Add(s.Name);
            decision.Attributes.Add(AttributeChange.Of(DkimAttributeNames.KeyFile(s.Name), $"{key.Mode} {key.Owner}:{key.Group}", $"{KeyMode} {KeyUser}:{KeyUser}"));
        }

        var value = DkimTxt.Value(pub);
        var fingerprint = DkimTxt.Fingerprint(pub);
        foreach (var a in answers.Where(a => a.Status != NameserverStatus.ServesThis))
        {
            decision.Attributes.Add(AttributeChange.Of(DkimAttributeNames.At(s.Name, a.Server), Shown(a), $"serves this key ({fingerprint})"));
        }

        var allServe = dns.Failed is null && answers.Count > 0 && answers.All(a => a.Status == NameserverStatus.ServesThis);
        var needsRecord = dns.Failed is null
            ? answers.Any(a => a.Status is NameserverStatus.Missing or NameserverStatus.ServesOther)
            : primary?.Status != NameserverStatus.ServesThis;
        if (d.Dns is DkimDns.Rfc2136 && primary is not null && primary.Status != NameserverStatus.ServesThis && primary.Status != NameserverStatus.Unreachable)
        {
            decision.Publish.Add((s.Name, value));
            decision.Attributes.Add(AttributeChange.Of(DkimAttributeNames.Record(s.Name), primary.Status == NameserverStatus.Missing ? null : Shown(primary),
                $"{recordName} {Math.Max(d.Ttl, 1)} TXT \"{value}\" (RFC 2136 update at {((DkimDns.Rfc2136)d.Dns).Endpoint()})"));
        }
        else if (manual && needsRecord)
        {
            var problem = $"add by hand: {recordName} {d.Ttl} IN TXT \"{value}\"";
            (signing ? decision.Refused : decision.Waiting).Add(problem);
        }

        if (dns.Failed is null && !allServe)
        {
            var lagging = answers.Where(a => a.Status != NameserverStatus.ServesThis).Select(a => $"{a.Server} {StatusText(a.Status)}").ToList();
            var line = $"{string.Join("; ", lagging)} for {s.Name}";
            if (signing)
            {
                // The key signs: a nameserver without it (or with another) makes verifiers there fail this domain's mail —
                // drift, not a wait. One that does not answer at all is a wait: verifiers ask the others.
                var wrong = answers.Where(a => a.Status is NameserverStatus.Missing or NameserverStatus.ServesOther).ToList();
                if (wrong.Count > 0 && decision.Publish.All(p => p.Selector != s.Name))
                {
                    decision.Refused.Add($"{s.Name} signs, but {string.Join("; ", wrong.Select(a => $"{a.Server} {StatusText(a.Status)}"))}: mail verified there fails");
                }
                else if (wrong.Count == 0)
                {
                    decision.Waiting.Add($"{line}, which signs (verifiers ask the other nameservers)");
                }
            }
            else if (s.State == SelectorState.Active)
            {
                decision.Waiting.Add($"{line} yet");
            }
        }

        if (allServe)
        {
            if (key.Seen is null)
            {
                decision.RecordSeen.Add(s.Name);
                decision.Attributes.Add(AttributeChange.Of(DkimAttributeNames.Seen(s.Name), null, $"now: every nameserver ({answers.Count}) serves {fingerprint}"));
                if (s.State == SelectorState.Active && !signing) decision.Waiting.Add($"{s.Name} signs once every nameserver has served it for its TTL ({Ttl(d, answers)}s) from now");
                return false;
            }

            var left = TtlLeft(d, key.Seen.Value, answers, now);
            if (left > 0)
            {
                if (s.State == SelectorState.Active && !signing) decision.Waiting.Add($"{s.Name}'s TTL ({Ttl(d, answers)}s) since every nameserver served it ends in {Duration(left)}");
                return false;
            }

            return decision.Refused.Count == 0;
        }

        if (key.Seen is not null && !signing)
        {
            // Served everywhere once, but not now: the TTL counts again from when it is.
            decision.ClearSeen.Add(s.Name);
            decision.Attributes.Add(AttributeChange.Of(DkimAttributeNames.Seen(s.Name), At(key.Seen.Value), null));
        }

        return false;
    }

    private static bool Retired(DkimDomainResource d, DkimSelector s, DkimObserved o, DkimDnsObserved dns,
        IReadOnlyList<NameserverAnswer> answers, NameserverAnswer? primary, bool signing, long now, DkimDecision decision)
    {
        var key = o.Key(s.Name);
        if (signing)
        {
            decision.Refused.Add($"{s.Name} still signs {d.Domain}'s mail: declare the selector replacing it active and let it take over before {s.Name} is retired");
            return false;
        }

        var published = answers.Any(a => a.Status == NameserverStatus.ServesOther || a.Status == NameserverStatus.ServesThis) ||
                        primary?.Status is NameserverStatus.ServesOther or NameserverStatus.ServesThis;
        if (!key.Exists && !published && key.Kind == "none")
        {
            return false;
        }

        if (key.Exists && key.Unsigned is null)
        {
            // Nobody recorded when it stopped signing: keep_after_switch counts from now.
            decision.RecordUnsigned.Add(s.Name);
            decision.Attributes.Add(AttributeChange.Of(DkimAttributeNames.Unsigned(s.Name), null, "now"));
            decision.Waiting.Add($"{s.Name}'s record stays published for keep_after_switch ({Duration((long)d.KeepAfterSwitch.TotalSeconds)}) from now, then it is retired");
            return false;
        }

        if (key.Unsigned is { } stopped && KeepLeft(d, stopped, now) > 0)
        {
            decision.Waiting.Add($"{s.Name}'s record stays published until {At(stopped + (long)d.KeepAfterSwitch.TotalSeconds)} (keep_after_switch {Duration((long)d.KeepAfterSwitch.TotalSeconds)} after it stopped signing)");
            return false;
        }

        var recordName = s.RecordName(d.Domain);
        if (published)
        {
            if (d.Dns is DkimDns.Rfc2136 rfc)
            {
                decision.Unpublish.Add(s.Name);
                decision.Attributes.Add(new AttributeChange(DkimAttributeNames.Record(s.Name), PlanValue.Of($"{recordName} TXT"), new PlanValue.Deleted()));
            }
            else
            {
                decision.Waiting.Add($"remove by hand: {recordName} TXT");
            }
        }

        if (key.Kind != "none")
        {
            decision.Retire.Add(s.Name);
            decision.Attributes.Add(new AttributeChange(DkimAttributeNames.Key(s.Name),
                PlanValue.Of(key.PublicKey is { } pub ? $"{DkimTxt.Fingerprint(pub)} in {DkimPaths.KeyFile(d.Domain, s.Name)}" : DkimPaths.KeyFile(d.Domain, s.Name)),
                new PlanValue.Deleted()));
        }

        return false;
    }

    /// <summary>
    /// All the gate takes from the host's clock: which of the domain's deadlines it has passed (a key served for its TTL,
    /// a replaced key kept for keep_after_switch). A plan's fingerprint holds these instead of the clock itself, so a
    /// saved plan still applies a second later, and is refused as stale once a deadline passed in between (the decision
    /// may then differ while its action does not).
    /// </summary>
    public static IReadOnlyList<string> DeadlinesPassed(DkimDomainResource d, DkimObserved o)
    {
        var dns = o.Dns ?? DkimDnsObserved.NotAsked("the nameservers were not asked");
        var passed = new List<string>();
        foreach (var s in d.Selectors)
        {
            var key = o.Key(s.Name);
            var answers = dns.Selectors.GetValueOrDefault(s.Name) ?? [];
            if (key.Seen is { } seen && TtlLeft(d, seen, answers, o.Host.Now) <= 0) passed.Add($"{s.Name}: served for its TTL");
            if (key.Unsigned is { } stopped && KeepLeft(d, stopped, o.Host.Now) <= 0) passed.Add($"{s.Name}: kept for keep_after_switch");
        }

        return passed;
    }

    private static long TtlLeft(DkimDomainResource d, long seen, IReadOnlyList<NameserverAnswer> answers, long now) => seen + Ttl(d, answers) - now;

    private static long KeepLeft(DkimDomainResource d, long stopped, long now) => stopped + (long)d.KeepAfterSwitch.TotalSeconds - now;

    /// <summary>The longest a verifier may have cached the record: the declared TTL or a longer one a nameserver serves,
    /// at most a day (the schema's largest TTL) — a nameserver answering a TTL of years must not hold the switch for ever.</summary>
    public const int MaxTtl = 86400;

    private static int Ttl(DkimDomainResource d, IReadOnlyList<NameserverAnswer> answers) =>
        Math.Min(MaxTtl, Math.Max(d.Ttl, answers.Count == 0 ? 0 : answers.Max(a => a.Ttl)));

    private static string Shown(NameserverAnswer a) => a.Detail is null ? StatusText(a.Status) : $"{StatusText(a.Status)}: {a.Detail}";

    public static string StatusText(NameserverStatus status) => status switch
    {
        NameserverStatus.ServesThis => "serves this key",
        NameserverStatus.ServesOther => "serves another key",
        NameserverStatus.Missing => "does not serve it",
        _ => "is unreachable",
    };

    private static string At(long epoch) => DateTimeOffset.FromUnixTimeSeconds(epoch).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Duration(long seconds) => seconds switch
    {
        < 120 => $"{seconds}s",
        < 7200 => $"{seconds / 60}m{seconds % 60:00}s",
        < 172800 => $"{seconds / 3600}h{seconds % 3600 / 60:00}m",
        _ => $"{seconds / 86400}d{seconds % 86400 / 3600}h",
    };
}
