using Reconciler.Core.Resources.Network;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>
/// DSR on a real Debian host over SSH: ARP settings and a loopback VIP applied from blank, drift on the effective
/// ARP values (max of conf.all and conf.IFACE), the VIP refusing to come up on a host that would answer ARP, and the
/// commit-confirm snapshot fragments run by hand (save → change → restore → equal).
/// </summary>
public sealed class DsrTests
{
    private const string SeedSpec = """
        kind: resources
        target: { group: web }
        dsr:
          arp: { ignore: 1, announce: 2, interfaces: [all, lo] }
          vips:
            - { address: 192.0.2.100, label: "lo:0" }
        """;

    // Only lo is managed: conf.all stays as the host has it, so the effective value on lo is max(all, lo).
    private const string LoOnlySpec = """
        kind: resources
        target: { group: web }
        dsr:
          arp: { ignore: 1, announce: 2, interfaces: [lo, eth0] }
          vips:
            - { address: 192.0.2.100, label: "lo:0" }
        """;

    private static async Task<(DebianHost Host, SpecsWorkspace Specs)> StartAsync(string spec)
    {
        var host = await DebianHost.StartAsync();
        var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "web")]);
        specs.Write("dsr.yaml", spec);
        return (host, specs);
    }

    private static async Task<string> Sh(DebianHost host, string command) => (await host.ExecAsync(command)).Stdout.Trim();

    [Fact]
    public async Task Apply_from_blank_brings_up_arp_settings_then_the_vip_and_a_second_plan_is_clean()
    {
        var (host, specs) = await StartAsync(SeedSpec);
        await using var _ = host;
        using var __ = specs;

        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("+ dsr_arp[ipv4]", plan.Stdout);
        Assert.Contains("effective arp_ignore on lo: 0 (all=0, lo=0) → 1", plan.Stdout);
        Assert.Contains("arp_announce on all: 0 → 2", plan.Stdout);
        Assert.Contains("+ dsr_vip[192.0.2.100]", plan.Stdout);
        Assert.Contains("live: (unset) → 192.0.2.100/32 label lo:0", plan.Stdout);
        // ARP first: the order apply follows is the order the plan lists.
        Assert.True(plan.Stdout.IndexOf("dsr_arp[ipv4]", StringComparison.Ordinal) < plan.Stdout.IndexOf("dsr_vip[", StringComparison.Ordinal), plan.Stdout);

        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());

        Assert.Contains("inet 192.0.2.100/32 scope global lo:0", await Sh(host, "ip -o addr show dev lo"));
        Assert.Equal("1 1 2 2", await Sh(host, "cd /proc/sys/net/ipv4/conf && echo $(cat all/arp_ignore lo/arp_ignore all/arp_announce lo/arp_announce)"));
        Assert.Equal(
            "# Managed by reconciler (dsr.vips); local edits are overwritten.\nauto lo:0\niface lo:0 inet static\n    address 192.0.2.100/32",
            await Sh(host, "cat /etc/network/interfaces.d/reconciler-lo-0"));
        var persisted = await Sh(host, $"cat {ArpSettingsResource.PersistFile}");
        Assert.Contains("net.ipv4.conf.all.arp_ignore = 1", persisted);
        Assert.Contains("net.ipv4.conf.lo.arp_announce = 2", persisted);

        var again = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("web1: no changes", again.Stdout);
    }

    [Fact]
    public async Task A_deleted_vip_is_drift()
    {
        var (host, specs) = await StartAsync(SeedSpec);
        await using var _ = host;
        using var __ = specs;
        Assert.Equal(0, (await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory)).ExitCode);

        await host.ExecAsync("ip addr del 192.0.2.100/32 dev lo");

        var drift = await CliRun.ExecAsync("drift", "--specs", specs.Directory, "--report-dir", Path.Combine(specs.Directory, "report"));
        Assert.True(drift.ExitCode == 2, drift.ToString());
        Assert.Contains("| `dsr_vip[192.0.2.100]` | `live` | `192.0.2.100/32 label lo:0` | `(unset)` |", await File.ReadAllTextAsync(Path.Combine(specs.Directory, "report", "drift.md")));
    }

    [Fact]
    public async Task Arp_drift_is_judged_on_the_effective_value()
    {
        var (host, specs) = await StartAsync(LoOnlySpec);
        await using var _ = host;
        using var __ = specs;
        var reports = Path.Combine(specs.Directory, "report");
        // Someone else set conf.all to 1 (not persisted); apply still pins lo and eth0 themselves.
        await host.ExecAsync("echo 1 > /proc/sys/net/ipv4/conf/all/arp_ignore");
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal("1 1", await Sh(host, "cat /proc/sys/net/ipv4/conf/all/arp_ignore /proc/sys/net/ipv4/conf/lo/arp_ignore | xargs"));

        // conf.all lowered: lo keeps 1 itself, so the value the kernel uses on lo is still 1.
        await host.ExecAsync("echo 0 > /proc/sys/net/ipv4/conf/all/arp_ignore");
        var clean = await CliRun.ExecAsync("drift", "--specs", specs.Directory, "--report-dir", reports);
        Assert.True(clean.ExitCode == 0, clean.ToString());

        // conf.lo reset with conf.all at 0: lo now answers with 0.
        await host.ExecAsync("echo 0 > /proc/sys/net/ipv4/conf/lo/arp_ignore");
        var drift = await CliRun.ExecAsync("drift", "--specs", specs.Directory, "--report-dir", reports);
        Assert.True(drift.ExitCode == 2, drift.ToString());
        Assert.Contains("| `dsr_arp[ipv4]` | `effective arp_ignore on lo` | `1` | `0 (all=0, lo=0)` |", await File.ReadAllTextAsync(Path.Combine(reports, "drift.md")));
    }

    [Fact]
    public async Task With_all_managed_a_reset_interface_value_is_covered_but_a_lowered_all_is_drift()
    {
        var (host, specs) = await StartAsync(SeedSpec);
        await using var _ = host;
        using var __ = specs;
        var reports = Path.Combine(specs.Directory, "report");
        Assert.Equal(0, (await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory)).ExitCode);

        // conf.all still holds 1, so the kernel still uses 1 on lo: no drift.
        await host.ExecAsync("echo 0 > /proc/sys/net/ipv4/conf/lo/arp_ignore");
        var covered = await CliRun.ExecAsync("drift", "--specs", specs.Directory, "--report-dir", reports);
        Assert.True(covered.ExitCode == 0, covered.ToString());

        // conf.all is pinned itself (it is the floor for eth0 and every other interface).
        await host.ExecAsync("echo 0 > /proc/sys/net/ipv4/conf/all/arp_ignore");
        var drift = await CliRun.ExecAsync("drift", "--specs", specs.Directory, "--report-dir", reports);
        Assert.True(drift.ExitCode == 2, drift.ToString());
        var markdown = await File.ReadAllTextAsync(Path.Combine(reports, "drift.md"));
        Assert.Contains("| `dsr_arp[ipv4]` | `arp_ignore on all` | `1` | `0` |", markdown);
        Assert.Contains("| `dsr_arp[ipv4]` | `effective arp_ignore on lo` | `1` | `0 (all=0, lo=0)` |", markdown);
    }

    [Fact]
    public async Task A_vip_without_arp_settings_on_a_host_that_would_answer_arp_is_blocked()
    {
        var (host, specs) = await StartAsync("""
            kind: resources
            target: { host: web1 }
            dsr:
              vips:
                - { address: 192.0.2.100, label: "lo:0" }
            """);
        await using var _ = host;
        using var __ = specs;

        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 1, plan.ToString());
        Assert.Contains("! dsr_vip[192.0.2.100]", plan.Stdout);
        Assert.Contains("eth0 would answer ARP for it: effective arp_ignore 0 (all=0, eth0=0)", plan.Stdout);
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.Equal(1, apply.ExitCode);
        Assert.DoesNotContain("192.0.2.100", await Sh(host, "ip -o addr show"));

        // Once the host is safe by other means, the VIP needs no dsr.arp of its own.
        await host.ExecAsync("echo 1 > /proc/sys/net/ipv4/conf/all/arp_ignore; echo 2 > /proc/sys/net/ipv4/conf/all/arp_announce");
        var safe = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(safe.ExitCode == 0, safe.ToString());
        Assert.Contains("192.0.2.100/32", await Sh(host, "ip -o addr show dev lo"));
    }

    [Fact]
    public async Task Snapshot_then_apply_then_restore_gives_back_the_state_before()
    {
        var (host, specs) = await StartAsync(SeedSpec);
        await using var _ = host;
        using var __ = specs;
        // A state to come back to: an address the change will remove (same label, other address) and odd ARP values.
        await host.ExecAsync("ip addr add 198.51.100.7/32 dev lo label lo:7; echo 0 > /proc/sys/net/ipv4/conf/lo/arp_ignore; echo 1 > /proc/sys/net/ipv4/conf/eth0/arp_announce");
        const string state = """
            ip -o addr show dev lo | sed 's/ *valid_lft.*//'
            grep -r . /proc/sys/net/ipv4/conf/*/arp_ignore /proc/sys/net/ipv4/conf/*/arp_announce
            ls -A /etc/network/interfaces.d 2>/dev/null; ls -A /etc/sysctl.d
            """;
        var before = await Sh(host, state);
        var guard = new DsrKind().Guard;

        var save = await host.ExecAsync($"export RC_SNAPSHOT=/root/snap; mkdir -p $RC_SNAPSHOT\n{guard.SnapshotScript}");
        Assert.True(save.ExitCode == 0, save.Stderr);
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        await host.ExecAsync("ip addr del 198.51.100.7/32 dev lo");
        // A second save (after the ARP change) must not overwrite the first.
        Assert.Equal(0, (await host.ExecAsync($"export RC_SNAPSHOT=/root/snap\n{guard.SnapshotScript}")).ExitCode);
        Assert.NotEqual(before, await Sh(host, state));

        var restore = await host.ExecAsync($"export RC_SNAPSHOT=/root/snap\n{guard.RestoreScript}");
        Assert.True(restore.ExitCode == 0, restore.Stdout + restore.Stderr);
        // Equal, including the files: the ones apply wrote are gone (an empty interfaces.d it created may stay).
        Assert.Equal(before, await Sh(host, state));
    }
}
