using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Dns;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Dkim;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Providers.Dkim;

/// <summary>
/// The dkim kind's controller side under attack: what a plan's DNS costs a run, where a pull request's plan may send it,
/// that a plan never updates DNS, and that it never sends the TSIG secret to a host.
/// </summary>
public sealed partial class DkimControllerTests
{
    private const string Tsig = "dHNpZy1zZWNyZXQtY2FuYXJ5LTAxMjM0NTY3ODk=";
    private static readonly SourceLocation At = new("mail/35-dkim.yaml", 3, 5);
    internal static readonly string Key = PublicKey();
    internal static readonly ProviderRegistry Providers = new([new DkimProvider()]);

    private static string PublicKey()
    {
        using var rsa = RSA.Create(2048);
        return Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
    }

    internal static DkimDomainResource Domain(string domain = "example.test", int selectors = 1, string server = "192.0.2.53") => new(
        domain, Enumerable.Range(0, selectors).Select(i => new DkimSelector(i == 0 ? "default" : $"s{i}", 2048, i == 0 ? SelectorState.Active : SelectorState.Published, At)).ToList(),
        new DkimDns.Rfc2136("example.test", server, 53, "reconciler-update", "hmac-sha256", Tsig), 300, TimeSpan.FromDays(7), [], 891, At);

    private static HostSpec Host(string name) => new(name, "10.0.0.1", 22, "root", "~/.ssh/id", "SHA256:x", [], new Dictionary<string, object?>());

    private static DesiredState State(params (string Host, DkimDomainResource Domain)[] hosts) =>
        new(hosts.Select(h => new HostDesiredState(Host(h.Host), [h.Domain])).ToList());

    /// <summary>
    /// Runs the real read on this machine and answers as a mail host whose keys exist: opendkim and openssl installed,
    /// every declared key made (with one public half), nothing signing yet. Apply scripts are never run here.
    /// </summary>
    private static FakeTransport MailHosts() => new()
    {
        OnScript = (_, script, _) =>
        {
            var honest = LocalShell.Run(script);
            var stdout = Tool().Replace(honest.Stdout, "${tool}\tyes");
            stdout = KeyLine().Replace(stdout, $"KEY\t${{index}}\t${{selector}}\tfile\t600\topendkim\topendkim\t{Key}\t-\t-\t{DkimTxt.RecordedDigest(Key)}");
            stdout = DirLine().Replace(stdout, "DIR\t${index}\tdirectory\t750\troot\topendkim");
            return Task.FromResult<ScriptResult?>(honest with { Stdout = stdout });
        },
    };

    [GeneratedRegex(@"^(?<tool>OPENSSL|OPENDKIM)\t(yes|no)$", RegexOptions.Multiline)]
    private static partial Regex Tool();

    [GeneratedRegex(@"^KEY\t(?<index>\d+)\t(?<selector>[a-z0-9-]+)\t.*$", RegexOptions.Multiline)]
    private static partial Regex KeyLine();

    [GeneratedRegex(@"^DIR\t(?<index>\d+)\t.*$", RegexOptions.Multiline)]
    private static partial Regex DirLine();

    private static Reconciliation Engine(FakeTransport transport, IAuthoritativeDns dns, int lookups = BudgetedDns.DefaultMaxLookups) =>
        new(transport, Providers, new ReconcileOptions { Outside = new ControllerPorts(dns), DnsLookupsPerRun = lookups });

    /// <summary>Class: a pull request's plan sends no DNS update (only apply, on reviewed specs, does).</summary>
    [Fact]
    public async Task A_plan_that_would_publish_a_record_sends_no_update_and_only_apply_does()
    {
        var dns = new FakeDns();
        var d = Domain();

        var plan = await Engine(MailHosts(), dns).PlanAsync(State(("mail1", d)), null, CancellationToken.None);

        var change = Assert.Single(Assert.Single(plan.Hosts).Changes);
        Assert.Contains(change.Attributes, a => a.Name.Text == "default.record" && a.After.ToString()!.Contains("RFC 2136 update at 192.0.2.53:53", StringComparison.Ordinal));
        Assert.NotEmpty(dns.Lookups);
        Assert.Empty(dns.Updates);

        // The same observation, handed to the controller's apply (what Reconciliation.ApplyAsync alone calls), updates.
        var observed = await new DkimProvider().ObserveAsync(d, ProviderHarness.Parse(Providers.For(d), [d], Answer(d))[0], new ControllerPorts(dns), CancellationToken.None);
        Assert.Null(await new DkimProvider().ApplyAsync(new PlannedChange(d, observed, change), new ControllerPorts(dns), CancellationToken.None));
        Assert.Equal(["replace default._domainkey.example.test at example.test at 192.0.2.53:53 (key reconciler-update, hmac-sha256)"], dns.Updates);
    }

    /// <summary>Class: where a pull request's plan sends packets is the base's choice, as with the hosts it connects to.</summary>
    [Fact]
    public async Task A_change_that_points_dns_elsewhere_is_not_asked_until_merged_or_approved()
    {
        var reviewed = State(("mail1", Domain()));
        var change = State(("mail1", Domain(server: "127.0.0.1"))) with { Trusted = TrustedInventory.Of(reviewed) };

        var dns = new FakeDns();
        var plan = await Engine(MailHosts(), dns).PlanAsync(change, null, CancellationToken.None);

        Assert.Empty(dns.Lookups);
        var note = Assert.Single(Assert.Single(plan.Hosts).Changes).Note;
        Assert.Contains("not asked: this change asks the nameservers of zone example.test as 127.0.0.1:53 names them, which the base's specs do not", note);

        // The base's own reach is asked; so is the change's once a maintainer approved it.
        var same = State(("mail1", Domain(domain: "mail.example.test"))) with { Trusted = TrustedInventory.Of(reviewed) };
        await Engine(MailHosts(), dns).PlanAsync(same, null, CancellationToken.None);
        Assert.Contains("NS example.test at 192.0.2.53:53", dns.Lookups);
        var approved = change with { Trusted = TrustedInventory.Of(reviewed) with { ChangeApproved = true } };
        await Engine(MailHosts(), dns).PlanAsync(approved, null, CancellationToken.None);
        Assert.Contains("NS example.test at 127.0.0.1:53", dns.Lookups);
    }

    /// <summary>Class: what a run asks of DNS is bounded per run (domains × selectors × nameservers × hosts), not per domain.</summary>
    [Fact]
    public async Task The_runs_dns_lookups_are_one_budget_across_hosts_and_each_past_it_is_named_not_asked()
    {
        // Each host alone asks 7 (the NS set, then 2 selectors at 2 nameservers and the primary): under the run's 10.
        var dns = new FakeDns();
        var state = State(("mail1", Domain(selectors: 2)), ("mail2", Domain(selectors: 2)), ("mail3", Domain(selectors: 2)));

        var plan = await Engine(MailHosts(), dns, lookups: 10).PlanAsync(state, null, CancellationToken.None);
        var again = new FakeDns();
        await Engine(MailHosts(), again, lookups: 10).PlanAsync(state with { Hosts = [state.Hosts[0]] }, null, CancellationToken.None);

        Assert.Equal(10, dns.Lookups.Count);
        Assert.Contains(plan.Hosts.SelectMany(h => h.Changes), c =>
            c.Note?.Contains("this run's budget of 10 DNS lookups", StringComparison.Ordinal) == true ||
            c.Attributes.Any(a => a.Before.ToString()!.Contains("this run's budget of 10 DNS lookups", StringComparison.Ordinal)));
        Assert.All(plan.Hosts, h => Assert.Null(h.Error));
        Assert.Equal(7, again.Lookups.Count);
    }

    /// <summary>
    /// Class: a hostile zone names its nameservers (up to 253 characters): each still gets a line of its own with its
    /// address, however long its name or however alike two names begin; what a server answered is never shown as text.
    /// </summary>
    [Fact]
    public async Task Long_alike_nameserver_names_keep_their_addresses_and_a_line_each()
    {
        var prefix = string.Concat(Enumerable.Repeat("ns-`@admin`-![x](http:\\\\evil)\\032", 6));
        var dns = new FakeDns
        {
            Servers = [new($"{prefix}a.example.test", IPAddress.Parse("192.0.2.1")), new($"{prefix}b.example.test", IPAddress.Parse("192.0.2.1")), new($"{prefix}b.example.test", IPAddress.Parse("192.0.2.2"))],
            Txt = (_, _) => new TxtLookup.Found([new TxtRecord(["v=DKIM1; p=\u001b]0;pwned\u0007 ", "@admin"], 300)]),
        };
        var d = Domain();
        var observed = ProviderHarness.Parse(Providers.For(d), [d], Answer(d))[0];

        var o = (DkimObserved)await new DkimProvider().ObserveAsync(d, observed, new ControllerPorts(dns), CancellationToken.None);
        var change = ((IResourceProvider)new DkimProvider()).Diff(d, o);

        var lines = change.Attributes.Where(a => a.Name.Text.StartsWith("default @ ", StringComparison.Ordinal)).Select(a => a.Name.Text).ToList();
        Assert.Equal(3, lines.Distinct().Count());
        Assert.Contains(lines, l => l.EndsWith("(192.0.2.2)", StringComparison.Ordinal));
        Assert.Equal(2, lines.Count(l => l.EndsWith("(192.0.2.1)", StringComparison.Ordinal)));
        Assert.All(lines, l => Assert.True(l.Length < 140, l));
        Assert.DoesNotContain(change.Attributes, a => a.ToString().Contains("pwned", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lookups_past_the_budget_are_not_made_and_answer_as_values()
    {
        var inner = new FakeDns();
        var dns = new BudgetedDns(inner, 2);
        var server = inner.Servers[0];

        await dns.NameserversAsync("example.test", null, CancellationToken.None);
        await dns.TxtAsync(server, "a._domainkey.example.test", CancellationToken.None);
        var txt = await dns.TxtAsync(server, "b._domainkey.example.test", CancellationToken.None);
        var ns = await dns.NameserversAsync("example.test", null, CancellationToken.None);
        var update = await dns.DeleteTxtAsync(new DnsUpdateTarget(new IPEndPoint(IPAddress.Loopback, 53), "example.test", "k", "hmac-sha256", Tsig), "c._domainkey.example.test", CancellationToken.None);

        Assert.Equal(2, inner.Lookups.Count);
        Assert.Empty(inner.Updates);
        Assert.Contains("budget of 2 DNS lookups", Assert.IsType<TxtLookup.Unreachable>(txt).Reason);
        Assert.Contains("budget of 2 DNS lookups", Assert.IsType<NameserverLookup.Failed>(ns).Reason);
        Assert.Contains("budget of 2 DNS lookups", update);
        Assert.Equal(2, dns.Used);
    }

    /// <summary>
    /// Class: a silent nameserver costs a run one wait, not one per domain, selector and host; a server that answers at
    /// once (even to refuse) is asked every time.
    /// </summary>
    [Fact]
    public async Task A_server_that_timed_out_is_not_asked_again_in_the_run_and_one_that_refused_is()
    {
        var clock = new ManualClock();
        var inner = new FakeDns
        {
            Txt = (server, _) =>
            {
                if (server.Address.Equals(IPAddress.Parse("192.0.2.2")))
                {
                    clock.Advance(TimeSpan.FromSeconds(3));
                    return new TxtLookup.Unreachable("no answer from 192.0.2.2:53 within 3 s (2 tries over UDP)");
                }

                return new TxtLookup.Unreachable("192.0.2.1:53 answered REFUSED for TXT x");
            },
        };
        var dns = new BudgetedDns(inner, 100, clock);
        var (ns1, ns2) = (inner.Servers[0], inner.Servers[1]);

        var answers = new List<TxtLookup>();
        foreach (var name in new[] { "a._domainkey.example.test", "b._domainkey.example.test", "c._domainkey.example.test" })
        {
            answers.Add(await dns.TxtAsync(ns1, name, CancellationToken.None));
            answers.Add(await dns.TxtAsync(ns2, name, CancellationToken.None));
        }

        Assert.Equal(3, inner.Lookups.Count(l => l.Contains("192.0.2.1", StringComparison.Ordinal)));
        Assert.Equal(1, inner.Lookups.Count(l => l.Contains("192.0.2.2", StringComparison.Ordinal)));
        Assert.All(answers.Where((_, i) => i % 2 == 1), a => Assert.Equal("no answer from 192.0.2.2:53 within 3 s (2 tries over UDP)", Assert.IsType<TxtLookup.Unreachable>(a).Reason));
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }

    /// <summary>Class: the TSIG secret goes to the controller's update only — never into a script a host runs.</summary>
    [Fact]
    public async Task No_script_sent_to_a_host_holds_the_tsig_secret_in_any_form()
    {
        var transport = MailHosts();
        var d = Domain(selectors: 2);
        await Engine(transport, new FakeDns()).PlanAsync(State(("mail1", d)), null, CancellationToken.None);

        var provider = Providers.For(d);
        var observed = ProviderHarness.Parse(provider, [d], Answer(d));
        var changes = ProviderHarness.Plan(provider, [d], observed);
        var group = ProviderHarness.Group(provider, [d], observed, changes);
        var scripts = transport.Scripts.Values.SelectMany(q => q)
            .Append(provider.ApplyScript(d, observed[0], changes[0]))
            .Concat(group?.Steps.Select(s => s.Script) ?? [])
            .Concat(group?.After.Select(e => e.Script) ?? [])
            .ToList();

        var forms = new[] { Tsig, Encoding.ASCII.GetString(Convert.FromBase64String(Tsig)), Convert.ToHexString(Convert.FromBase64String(Tsig)) };
        Assert.NotEmpty(scripts);
        Assert.All(scripts, script => Assert.All(forms, form => Assert.DoesNotContain(form, script, StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(Tsig, d.ToString());
        Assert.DoesNotContain(Tsig, d.ControllerReach);
    }

    /// <summary>A host's dkim answer for <paramref name="d"/>: tools installed, every key made with <see cref="Key"/>, nothing signing.</summary>
    internal static string[] Answer(DkimDomainResource d, long now = 1_800_000_000, long? seen = null) =>
    [
        $"NOW\t{now}", "OPENSSL\tyes", "OPENDKIM\tyes",
        .. DkimPaths.ConfigFiles.Select(f => $"CONF\t{f}\t-"),
        "DIR\t0\tdirectory\t750\troot\topendkim",
        .. d.Selectors.Select(s => $"KEY\t0\t{s.Name}\tfile\t600\topendkim\topendkim\t{Key}\t{seen?.ToString() ?? "-"}\t-\t{DkimTxt.RecordedDigest(Key)}"),
    ];
}
