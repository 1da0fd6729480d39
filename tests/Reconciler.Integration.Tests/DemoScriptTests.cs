using System.Diagnostics;
using System.Text.RegularExpressions;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>
/// The README's main command, run as a user would: the sample specs (the tests' copy, tests/sample-specs: the seed's settings) applied to the
/// sample hosts as containers, and mail1's DKIM selector published to the two bind9 nameservers of its domain.
/// Proves the sample specs converge on Debian and the demo keeps working.
/// </summary>
public sealed class DemoScriptTests
{
    [Fact]
    public async Task Demo_script_applies_the_sample_specs_and_shows_each_step()
    {
        var root = SpecsWorkspace.RepositoryRoot;
        // The tests' own sample, not specs/: a user's specs there never change what this test sees.
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "demo.sh"), Reconciler.Tests.Shared.TestRepository.SampleSpecs])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // About two minutes on an idle machine; DKIM's rounds (up to 8 plans and applies on mail1) stretch most under load.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + "\n--- stderr ---\n" + await stderr;

        Assert.True(process.ExitCode == 0, output);
        var steps = Regex.Matches(output, @"\$ reconciler (\w+)[^\n]*\n(?:.*\n)*?\(exit (\d)\)")
            .Select(m => $"{m.Groups[1].Value}={m.Groups[2].Value}").ToList();
        // DKIM moves one safe step per run, so after the first apply the demo plans and applies mail1 again until it
        // signs: publish, every nameserver seen serving the key, and the switch once its TTL (5 s) has passed -- a round
        // may find only the TTL still to wait (plan 0), so the number of rounds is bounded, not fixed.
        var sequence = string.Join(", ", steps);
        Assert.True(Regex.IsMatch(sequence, @"^validate=0, plan=2, apply=0(, plan=[02], apply=0){3,8}, plan=0, drift=2$"), sequence + "\n" + output);

        // The seed's settings are in the plan (the whole sample, counted: a refactoring that changes what the specs
        // declare or how a kind plans shows here), and each sample host converged.
        Assert.Contains("Plan: 56 to create, 112 to update, 0 to delete, 57 skipped, 0 blocked; 4 host(s).", output);
        // ldap1: the seed's sizing rule with the live facts it used (Debian's 1 GiB limit is never lowered), and the index added.
        Assert.Matches(@"~ ldap_database\[dc=example,dc=test\]  used \d+ KiB \(\d+ pages × 4 KiB\) × 1\.1 → \d+ KiB; olcDbMaxSize is already 1 GiB, never lowered", output);
        Assert.Contains("~ file[/home/deploy]  matched by /home/* (declared at .demo/specs/all/file-protection.yaml:", output);
        Assert.Contains("sysctl[net.ipv4.tcp_max_syn_backlog]", output);
        Assert.Contains("config_line[/etc/login.defs:UMASK]", output);
        Assert.Contains("✓ update postfix_main[smtpd_banner]", output);
        Assert.Contains("ipset[rc-blocklist-v4]", output);
        Assert.Contains("dsr_vip[192.0.2.100]", output);
        Assert.Matches(@"· 19 skipped, absent on this host \(when_missing: skip\): [^\n]*/etc/securetty", output);
        Assert.Contains("Apply: 4 host(s): 4 succeeded;", output);

        // mail1's selector: the plan names each nameserver of example.test with what it serves, the record goes to the
        // primary, both are seen serving it, and only then does opendkim sign with it.
        var fingerprint = Regex.Match(output, @"default @ ns1\.example\.test \([\d.]+\): does not serve it → serves this key \((SHA256:[A-Za-z0-9+/]+)\)");
        Assert.True(fingerprint.Success, output);
        var key = fingerprint.Groups[1].Value;
        Assert.Matches($@"default @ ns2\.example\.test \([\d.]+\): does not serve it → serves this key \({Regex.Escape(key)}\)", output);
        Assert.Contains($"default.served since: (unset) → now: every nameserver (2) serves {key}", output);
        Assert.Contains("signing: (not signing) → default", output);

        // Each nameserver, asked directly, serves the key mail1 signs with, and a mail sent there arrives signed by it.
        foreach (var ns in new[] { "ns1", "ns2" })
        {
            Assert.Matches($@"default\._domainkey\.example\.test @ {ns}\.example\.test \([\d.]+\): v=DKIM1; k=rsa; p=\S+… {Regex.Escape(key)}\n", output);
        }

        Assert.Contains($"mail1 signs example.test's mail with selector default ({key}): every nameserver serves it", output);
        Assert.Contains("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/simple; d=example.test; s=default;", output);
        foreach (var host in new[] { "mail1", "web1", "web2", "ldap1" })
        {
            Assert.Contains($"{host}: no changes", output);
        }

        // The hand-made drift on web1 is found, and the service stopped by hand on mail1.
        Assert.Contains("web1: drifted\n", output);
        Assert.Contains("mail1: drifted\n", output);
        Assert.Contains("~ service[dovecot] running: declared running, live stopped", output);

        // Drift also read every host's health and mail1's Mailgraph, and wrote the fleet page.
        Assert.Contains("Drift: 4 host(s): 2 in sync, 2 drifted, 0 needs attention, 0 unreachable; 0 health rule(s) breached, 0 monitoring error(s).", output);
        var fleet = await File.ReadAllTextAsync(Path.Combine(root, ".demo", "drift-report", "fleet.html"));
        Assert.Contains("Content-Security-Policy", fleet);
        Assert.Contains("host-mail1", fleet);
    }
}
