using System.Diagnostics;
using System.Text.RegularExpressions;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>
/// The README's main command, run as a user would: the sample specs/ (the seed's settings) applied to the
/// sample hosts as containers. Proves the sample specs converge on Debian and the demo keeps working.
/// </summary>
public sealed class DemoScriptTests
{
    [Fact]
    public async Task Demo_script_applies_the_sample_specs_and_shows_each_step()
    {
        var root = SpecsWorkspace.RepositoryRoot;
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "demo.sh")])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + "\n--- stderr ---\n" + await stderr;

        Assert.True(process.ExitCode == 0, output);
        var steps = Regex.Matches(output, @"\$ reconciler (\w+)[^\n]*\n(?:.*\n)*?\(exit (\d)\)")
            .Select(m => $"{m.Groups[1].Value}={m.Groups[2].Value}").ToList();
        Assert.True(steps.SequenceEqual(["validate=0", "plan=2", "apply=0", "plan=0", "drift=2"]), string.Join(", ", steps) + "\n" + output);

        // The seed's settings are in the plan (the whole sample, counted: a refactoring that changes what the specs
        // declare or how a kind plans shows here), and each sample host converged.
        Assert.Contains("Plan: 50 to create, 106 to update, 0 to delete, 57 skipped, 0 blocked; 3 host(s).", output);
        Assert.Contains("~ file[/home/deploy]  matched by /home/* (declared at .demo/specs/all/file-protection.yaml:", output);
        Assert.Contains("sysctl[net.ipv4.tcp_max_syn_backlog]", output);
        Assert.Contains("config_line[/etc/login.defs:UMASK]", output);
        Assert.Contains("✓ update postfix_main[smtpd_banner]", output);
        Assert.Contains("ipset[rc-blocklist-v4]", output);
        Assert.Contains("dsr_vip[192.0.2.100]", output);
        Assert.Matches(@"· 19 skipped, absent on this host \(when_missing: skip\): [^\n]*/etc/securetty", output);
        Assert.Contains("Apply: 3 of 3 host(s) succeeded", output);
        foreach (var host in new[] { "mail1", "web1", "web2" })
        {
            Assert.Contains($"{host}: no changes", output);
        }

        // The hand-made drift on web1 is found, and the service stopped by hand on mail1.
        Assert.Contains("| `web1` | drifted |", output);
        Assert.Contains("| `mail1` | drifted |", output);
        Assert.Contains("| `service[dovecot]` | `running` | `running` | `stopped` |", output);
    }
}
