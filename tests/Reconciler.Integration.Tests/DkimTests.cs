using System.Net;
using System.Text.RegularExpressions;
using DnsClient;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>
/// Issue 18 with real daemons: two bind9 authoritative servers for example.test (a primary taking TSIG-signed updates, a
/// secondary by zone transfer that can be stopped) and a mail host with postfix and opendkim. Every mail the host sends
/// is checked by two verifiers that did not write its signature — dkimverify (python3-dkim) on the host, resolving through
/// the primary, and MimeKit's DkimVerifier here, asking the nameservers directly — at every step of a rotation from the
/// seed's `default` selector (2048 bits) to a 4096-bit one (three 255-byte strings), and no step signs with a key some
/// nameserver does not serve.
/// </summary>
public sealed class DkimTests
{
    private const int Ttl = 6;

    private static string Spec(DnsZonePair dns, string selectors, string keep = "30s") => $$"""
        kind: resources
        target: { host: m1 }
        postfix:
          main:
            home_mailbox: Maildir/
            smtpd_milters: inet:127.0.0.1:891
            non_smtpd_milters: $smtpd_milters
            milter_default_action: tempfail
        dkim:
          - domain: example.test
            ttl: {{Ttl}}
            keep_after_switch: {{keep}}
            dns:
              zone: example.test
              rfc2136: { server: {{dns.PrimaryAddress}}, key_name: {{dns.TsigKeyName}}, secret: { secret: dkim_tsig } }
            selectors:
        {{selectors}}
        services:
          - { name: opendkim, running: true }
        """;

    private sealed record Setup(DnsZonePair Dns, DebianHost Host, SpecsWorkspace Specs, Dictionary<string, string> Secrets) : IAsyncDisposable
    {
        public Task<CliRun> Run(params string[] args) => CliRun.ExecWithEnvironmentAsync(Secrets, [.. args, "--specs", Specs.Directory]);

        public async ValueTask DisposeAsync()
        {
            Specs.Dispose();
            await Host.DisposeAsync();
            await Dns.DisposeAsync();
        }
    }

    private static async Task<Setup> StartAsync()
    {
        var dns = await DnsZonePair.StartAsync();
        var host = await DebianHost.StartAsync(image: "reconciler/host-mail:1");
        // dkimverify on the host resolves through the zone's primary.
        var resolv = await host.ExecAsync($"echo 'nameserver {dns.PrimaryAddress}' > /etc/resolv.conf");
        Assert.Equal(0, resolv.ExitCode);
        var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("m1", host, DebianHost.RootUser, "mail")]);
        return new Setup(dns, host, specs, new Dictionary<string, string> { ["RECONCILER_SECRET_DKIM_TSIG"] = dns.TsigSecret });
    }

    private static string Selector(string name, int bits, string state) => $"      - {{ name: {name}, bits: {bits}, state: {state} }}";

    /// <summary>The selector opendkim's SigningTable signs example.test with on the host, or null.</summary>
    private static async Task<string?> SigningAsync(DebianHost host)
    {
        var table = (await host.ExecAsync("cat /etc/opendkim/SigningTable 2>/dev/null")).Stdout;
        var match = Regex.Match(table, @"^\*@example\.test ([a-z0-9-]+)\._domainkey\.example\.test$", RegexOptions.Multiline);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>
    /// Sends a mail through postfix's sendmail (non_smtpd_milters), waits for its delivery to root's Maildir, and returns the
    /// selector of its DKIM signature (null when unsigned) after both verifiers accepted it.
    /// </summary>
    private static async Task<string?> SendAndVerifyAsync(Setup s)
    {
        var id = Guid.NewGuid().ToString("N");
        var send = await s.Host.ExecAsync(
            $"printf 'From: alice@example.test\\nTo: root@localhost\\nSubject: dkim {id}\\nMessage-ID: <{id}@example.test>\\n\\nhello {id}\\n' | /usr/sbin/sendmail -f alice@example.test root@localhost");
        Assert.True(send.ExitCode == 0, send.Stderr);
        string file = "";
        for (var i = 0; i < 60 && file.Length == 0; i++)
        {
            file = (await s.Host.ExecAsync($"grep -l 'dkim {id}' /root/Maildir/new/* 2>/dev/null | head -n1")).Stdout.Trim();
            if (file.Length == 0) await Task.Delay(500);
        }

        Assert.True(file.Length > 0, "the mail was not delivered: " + (await s.Host.ExecAsync("tail -n 20 /var/log/mail.log 2>/dev/null; postqueue -p")).Stdout);
        var raw = (await s.Host.ExecAsync($"cat {file}")).Stdout;
        var message = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(raw)));
        var signatures = message.Headers.Where(h => h.Id == HeaderId.DkimSignature).ToList();
        if (signatures.Count == 0) return null;

        var header = Assert.Single(signatures);
        var verifier = new DkimVerifier(new NameserverKeyLocator(s.Dns.PrimaryAddress));
        Assert.True(verifier.Verify(message, header), "MimeKit's DkimVerifier refused the signature: " + header.Value);
        var dkimverify = await s.Host.ExecAsync($"dkimverify < {file}");
        Assert.True(dkimverify.ExitCode == 0 && dkimverify.Stdout.Contains("signature ok"), $"dkimverify: {dkimverify.Stdout}{dkimverify.Stderr}");
        return Regex.Match(header.Value, @"\bs=([a-z0-9-]+)").Groups[1].Value;
    }

    /// <summary>Applies once (exit 0 expected) and reports the plan's note for the domain.</summary>
    private static async Task<CliRun> ApplyAsync(Setup s)
    {
        var apply = await s.Run("apply", "--yes");
        Assert.True(apply.ExitCode == 0, apply.ToString());
        return apply;
    }

    [Fact]
    public async Task A_rotation_from_the_seeds_selector_to_a_4096_bit_key_signs_every_mail_with_a_served_key_and_retires_the_old_one()
    {
        await using var s = await StartAsync();

        // First key: made on the host, published, seen on both nameservers, then — a TTL later — signing. Mail sent before
        // that is unsigned, never signed with a key a nameserver does not serve.
        s.Specs.Write("hosts/dkim.yaml", Spec(s.Dns, Selector("default", 2048, "active")));
        var plan = await s.Run("plan");
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("dkim[example.test]", plan.Stdout);
        Assert.Contains("RSA 2048-bit, made on the host", plan.Stdout);
        await ApplyAsync(s);
        Assert.Equal("opendkim opendkim 600", (await s.Host.ExecAsync("stat -c '%U %G %a' /etc/opendkim/keys/example.test/default.private")).Stdout.Trim());
        Assert.Equal("root opendkim 750", (await s.Host.ExecAsync("stat -c '%U %G %a' /etc/opendkim/keys/example.test")).Stdout.Trim());
        Assert.Null(await SigningAsync(s.Host));
        Assert.Null(await SendAndVerifyAsync(s));

        var published = await s.Run("plan");
        Assert.Contains("default._domainkey.example.test 6 TXT \"v=DKIM1; k=rsa; p=", published.Stdout);
        Assert.Contains($"default @ ns2.example.test ({s.Dns.SecondaryAddress}): does not serve it → serves this key (SHA256:", published.Stdout);
        Assert.DoesNotContain("PRIVATE KEY", published.Stdout);
        Assert.DoesNotContain(s.Dns.TsigSecret, published.Stdout + published.Stderr);
        await ApplyAsync(s);
        Assert.Contains("v=DKIM1; k=rsa; p=", await s.Dns.DigAsync(s.Dns.PrimaryAddress, "default._domainkey.example.test"));

        await RunUntilAsync(s, async () => await SigningAsync(s.Host) == "default", async () => Assert.Null(await SendAndVerifyAsync(s)));
        Assert.Equal("default", await SendAndVerifyAsync(s));
        var settled = await s.Run("plan");
        Assert.True(settled.ExitCode == 0, settled.ToString());

        // Rotation to s2026b (4096 bits: three strings). While the secondary is stopped the switch waits, and default keeps signing.
        s.Specs.Write("hosts/dkim.yaml", Spec(s.Dns, Selector("default", 2048, "published") + "\n" + Selector("s2026b", 4096, "active")));
        await ApplyAsync(s); // key made
        await s.Dns.StopSecondaryAsync();
        await ApplyAsync(s); // published on the primary
        for (var i = 0; i < 3; i++)
        {
            var waiting = await s.Run("plan");
            Assert.Contains($"ns2.example.test ({s.Dns.SecondaryAddress}) is unreachable for s2026b yet", waiting.Stdout);
            await s.Run("apply", "--yes");
            Assert.Equal("default", await SigningAsync(s.Host));
            Assert.Equal("default", await SendAndVerifyAsync(s));
            await Task.Delay(TimeSpan.FromSeconds(Ttl / 2.0));
        }

        await s.Dns.StartSecondaryAsync();

        // A record changed behind the reconciler's back (a wrong p=) is named with its nameserver and never switched to.
        var other = (await s.Dns.DigAsync(s.Dns.PrimaryAddress, "default._domainkey.example.test")).Replace("\" \"", "").Trim('"');
        await s.Dns.SetTxtOnPrimaryAsync("s2026b._domainkey.example.test", other);
        var wrong = await s.Run("plan");
        Assert.Matches($@"ns1\.example\.test \({Regex.Escape(s.Dns.PrimaryAddress.ToString())}\) serves another key", wrong.Stdout);
        await ApplyAsync(s); // publishes the right key again
        Assert.Equal("default", await SigningAsync(s.Host));

        // TTL: once both serve it, the switch waits for the TTL, then happens; every mail verifies throughout.
        var sawTtlWait = false;
        await RunUntilAsync(s, async () => await SigningAsync(s.Host) == "s2026b", async () =>
        {
            var plan = await s.Run("plan");
            sawTtlWait |= plan.Stdout.Contains("s2026b's TTL (6s) since every nameserver served it ends in");
            Assert.Equal("default", await SendAndVerifyAsync(s));
        });
        Assert.True(sawTtlWait, "no plan showed the TTL wait");
        Assert.Equal("s2026b", await SendAndVerifyAsync(s));
        var strings = await s.Dns.DigAsync(s.Dns.SecondaryAddress, "s2026b._domainkey.example.test");
        Assert.Equal(3, Regex.Matches(strings, "\"").Count / 2);

        // Retire default: its record stays for keep_after_switch, then record and key go (a destructive change in the plan).
        s.Specs.Write("hosts/dkim.yaml", Spec(s.Dns, Selector("default", 2048, "retired") + "\n" + Selector("s2026b", 4096, "active")));
        var keeping = await s.Run("plan");
        Assert.Contains("keep_after_switch", keeping.Stdout);
        // keep_after_switch is 30 s from the switch: plan until the retirement is due (a loaded machine may be slow).
        var retire = keeping;
        for (var i = 0; i < 20 && !retire.Stdout.Contains("default.record:"); i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            retire = await s.Run("plan");
        }

        Assert.Matches(@"default\.record: default\._domainkey\.example\.test TXT → deleted", retire.Stdout);
        Assert.Matches(@"default\.key: SHA256:\S+ in /etc/opendkim/keys/example\.test/default\.private → deleted", retire.Stdout);
        await ApplyAsync(s);
        Assert.Equal("", await s.Dns.DigAsync(s.Dns.PrimaryAddress, "default._domainkey.example.test"));
        Assert.Equal(1, (await s.Host.ExecAsync("test -e /etc/opendkim/keys/example.test/default.private")).ExitCode);
        Assert.Equal("s2026b", await SendAndVerifyAsync(s));
        var done = await s.Run("plan");
        Assert.True(done.ExitCode == 0, done.ToString());

        // Drift: the record deleted on the primary (and so on the secondary) shows in drift and apply puts it back.
        await s.Dns.SetTxtOnPrimaryAsync("s2026b._domainkey.example.test", "v=DKIM1; k=rsa; p=");
        var drift = await s.Run("drift");
        Assert.True(drift.ExitCode != 0, drift.ToString());
        Assert.Contains("dkim[example.test]", drift.Stdout);
        Assert.True(drift.Stdout.Contains("s2026b @ ns1.example.test") && drift.Stdout.Contains("serves another key"), drift.Stdout);
        Assert.DoesNotContain(s.Dns.TsigSecret, drift.Stdout + drift.Stderr);
        await ApplyAsync(s);

        // A key file loosened by hand, and tables edited to sign with a selector nobody declared, are drift too.
        await s.Host.ExecAsync("chmod 0644 /etc/opendkim/keys/example.test/s2026b.private");
        var loosened = await s.Run("drift");
        Assert.True(loosened.Stdout.Contains("s2026b.key file") && loosened.Stdout.Contains("644 opendkim:opendkim"), loosened.Stdout);
        await ApplyAsync(s);
        await s.Host.ExecAsync("sed -i 's/s2026b._domainkey/rogue._domainkey/' /etc/opendkim/SigningTable");
        var rogue = await s.Run("drift");
        Assert.True(rogue.ExitCode != 0, rogue.ToString());
        Assert.True(rogue.Stdout.Contains("in a way this kind does not write"), rogue.Stdout);
        Assert.DoesNotContain(s.Dns.TsigSecret, loosened.Stdout + rogue.Stdout + rogue.Stderr);
    }

    /// <summary>Applies (each followed by <paramref name="between"/>) until <paramref name="done"/>, at most 12 times.</summary>
    private static async Task RunUntilAsync(Setup s, Func<Task<bool>> done, Func<Task> between)
    {
        for (var i = 0; i < 12; i++)
        {
            if (await done()) return;
            await between();
            await s.Run("apply", "--yes");
            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }

        Assert.True(await done(), "the domain did not reach the expected signing state: " + (await s.Run("plan")));
    }

    /// <summary>A public key locator that asks one nameserver directly (not the one that signed, not a resolver's cache).</summary>
    private sealed class NameserverKeyLocator(IPAddress server) : DkimPublicKeyLocatorBase
    {
        private readonly LookupClient _client = new(new LookupClientOptions(new NameServer(server, 53)) { UseCache = false, Recursion = false });

        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default)
        {
            var answer = _client.Query($"{selector}._domainkey.{domain}", QueryType.TXT);
            var txt = string.Concat(answer.Answers.TxtRecords().Single().Text);
            return GetPublicKey(txt);
        }

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}
