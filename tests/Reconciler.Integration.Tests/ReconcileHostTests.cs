using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>validate → plan → apply → plan → drift against real Debian hosts over SSH.</summary>
public sealed class ReconcileHostTests
{
    [Fact]
    public async Task Apply_on_a_blank_host_then_plan_shows_no_changes()
    {
        // Given a blank Debian host and the hardening spec
        await using var host = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        HardeningSpec.WriteTo(specs);

        // When we plan, the changes are listed and the exit code says so
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("~ file[/etc/shadow]", plan.Stdout);
        Assert.Contains("mode: 0640 → 0400", plan.Stdout);
        Assert.Contains("· 1 skipped, absent on this host (when_missing: skip): /etc/securetty", plan.Stdout);
        Assert.Contains("UMASK: 022 → 077", plan.Stdout);

        // When we apply
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Contains("verified", apply.Stdout);

        // Then the host is as declared, checked from inside the container
        Assert.Equal("16000", (await host.ExecAsync("cat /proc/sys/net/ipv4/tcp_max_syn_backlog")).Stdout.Trim());
        Assert.Equal("1", (await host.ExecAsync("cat /proc/sys/net/ipv4/tcp_syncookies")).Stdout.Trim());
        Assert.Contains("net.ipv4.tcp_syncookies = 1", (await host.ExecAsync("cat /etc/sysctl.d/zz-reconciler-net.ipv4.tcp_syncookies.conf")).Stdout);
        Assert.Equal("400 root shadow", (await host.ExecAsync("stat -c '%a %U %G' /etc/shadow")).Stdout.Trim());
        Assert.Equal("1777", (await host.ExecAsync("stat -c %a /tmp")).Stdout.Trim());
        Assert.Equal("750", (await host.ExecAsync("stat -c %a /usr/bin/top")).Stdout.Trim());
        Assert.Contains("i", (await host.ExecAsync("lsattr -d /usr/bin/top | cut -d' ' -f1")).Stdout);
        Assert.Equal("Authorized use only — web1-site (web1).\nActivity is logged.\n", (await host.ExecAsync("cat /etc/issue.net")).Stdout);
        Assert.Matches(@"(?m)^UMASK\s+077$", (await host.ExecAsync("cat /etc/login.defs")).Stdout);
        Assert.Equal(1, (await host.ExecAsync("grep -c '^UMASK' /etc/login.defs")).Stdout.Trim() is var n ? int.Parse(n) : 0);
        Assert.NotEqual(0, (await host.ExecAsync("test -e /etc/securetty")).ExitCode);

        // And a second plan finds nothing to do
        var again = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("web1: no changes", again.Stdout);
    }

    [Fact]
    public async Task Hand_made_drift_is_reported_by_drift_with_exit_2()
    {
        // Given a host that was applied and is in sync
        await using var host = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        HardeningSpec.WriteTo(specs);
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        var reportDir = Path.Combine(specs.Directory, "report");
        var clean = await CliRun.ExecAsync("drift", "--specs", specs.Directory, "--report-dir", reportDir);
        Assert.True(clean.ExitCode == 0, clean.ToString());

        // When someone changes things by hand
        await host.ExecAsync("echo 0 > /proc/sys/net/ipv4/tcp_syncookies");
        await host.ExecAsync("chmod 0644 /etc/shadow");
        await host.ExecAsync("chattr -i /usr/bin/top");
        await host.ExecAsync("sed -i 's/^UMASK.*/UMASK 022/' /etc/login.defs");
        await host.ExecAsync("echo 'net.ipv4.tcp_max_syn_backlog = 512' > /etc/sysctl.d/zzz-local.conf");

        // Then drift reports each of them, in the console and in both report files
        var drift = await CliRun.ExecAsync("drift", "--specs", specs.Directory, "--report-dir", reportDir);
        Assert.True(drift.ExitCode == 2, drift.ToString());
        var markdown = await File.ReadAllTextAsync(Path.Combine(reportDir, "drift.md"));
        var json = await File.ReadAllTextAsync(Path.Combine(reportDir, "drift.json"));
        Assert.Contains("| `web1` | drifted |", markdown);
        Assert.Contains("| `sysctl[net.ipv4.tcp_syncookies]` | `live` | `1` | `0` |", markdown);
        Assert.Contains("| `sysctl[net.ipv4.tcp_max_syn_backlog]` | `persisted` | `16000 (/etc/sysctl.d/zz-reconciler-net.ipv4.tcp_max_syn_backlog.conf)` | `512 (/etc/sysctl.d/zzz-local.conf)` |", markdown);
        Assert.Contains("| `file[/etc/shadow]` | `mode` | `0400` | `0644` |", markdown);
        Assert.Contains("| `file[/usr/bin/top]` | `attributes` | `+i` | `(none)` |", markdown);
        Assert.Contains("| `config_line[/etc/login.defs:UMASK]` | `UMASK` | `077` | `022` |", markdown);
        Assert.Contains("\"status\": \"changes\"", json);
        Assert.Contains("\"address\": \"file[/etc/shadow]\"", json);
    }

    [Fact]
    public async Task Apply_through_sudo_as_a_non_root_user_converges()
    {
        await using var host = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.SudoUser, "hardened")]);
        HardeningSpec.WriteTo(specs);

        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal("400", (await host.ExecAsync("stat -c %a /etc/shadow")).Stdout.Trim());
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 0, plan.ToString());
    }
}
