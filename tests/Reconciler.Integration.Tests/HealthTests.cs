using System.Globalization;
using Reconciler.Core.Engine;
using Reconciler.Core.Monitoring;
using Reconciler.Core.Resources;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;
using Reconciler.Specs;
using Reconciler.Ssh;

namespace Reconciler.Integration.Tests;

/// <summary>
/// Issue 20 item 3: the health rules on a real Debian host, read as drift reads them (<see cref="Reconciliation.PlanAsync"/>
/// with monitor: true, in the one fact round trip). A small tmpfs filled to a known inode use, a bounded SYN_RECV backlog
/// made on the container's own loopback, memory figures checked against /proc/meminfo read beside the run: each rule
/// fires, then clears. The container has no block device, so ext4 mount counts are "not available", never an error.
/// </summary>
public sealed class HealthTests
{
    private const string InodeMount = "/mnt/rc-inodes";
    private const string HostileMount = "/mnt/<script>alert(1)</script> x";
    private const int SynPort = 40123;
    private const int HalfOpen = 40;

    /// <summary>
    /// Listens with room for every half-open connection and never accepts; opens <c>HalfOpen</c> non-blocking
    /// connections to itself; holds them. With the listener's SYN-ACKs dropped on the way out, each stays in SYN_RECV.
    /// </summary>
    private const string SynScript = """
        use strict; use Socket; use IO::Socket::INET; use Fcntl;
        my ($port, $n) = @ARGV;
        my $l = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => $port, Listen => 128, ReuseAddr => 1) or die "listen: $!";
        my @c;
        for (1 .. $n) {
          socket(my $s, PF_INET, SOCK_STREAM, 0) or die "socket: $!";
          fcntl($s, F_SETFL, fcntl($s, F_GETFL, 0) | O_NONBLOCK);
          connect($s, pack_sockaddr_in($port, inet_aton('127.0.0.1')));
          push @c, $s;
        }
        sleep 600;
        """;

    private static string Spec(double memoryMin) => $"""
        kind: resources
        target: {"{"} host: h1 {"}"}
        health:
          - name: baseline
            inodes_used_max: 90
            memory_available_min: {memoryMin.ToString("0.###", CultureInfo.InvariantCulture)}
            syn_recv_max: 10
            mount_count_below_max: true
        """;

    [Fact]
    public async Task Each_rule_fires_on_the_real_figures_and_clears_when_they_fall_back()
    {
        // Given a host with a tmpfs of 100 inodes, 91 of them used (its root directory and 90 files), and a tmpfs whose
        // mount point is markup with a space in it
        await using var host = await DebianHost.StartAsync();
        var setup = await host.ExecAsync(
            $"mkdir -p {InodeMount} '{HostileMount}' && mount -t tmpfs -o size=4m,nr_inodes=100 rc-inodes {InodeMount} && " +
            $"mount -t tmpfs -o size=1m rc-hostile '{HostileMount}' && for i in $(seq 1 90); do : > {InodeMount}/f$i; done && " +
            // Per container: this network namespace's own SYN-ACK retries, so the half-open connections outlive the test.
            $"sysctl -q -w net.ipv4.tcp_synack_retries=10 && iptables -I OUTPUT -o lo -p tcp --sport {SynPort} --tcp-flags SYN,ACK SYN,ACK -j DROP && " +
            $"cat > /root/rc-syn.pl <<'RC_EOF'\n{SynScript}\nRC_EOF\n" +
            $"setsid perl /root/rc-syn.pl {SynPort} {HalfOpen} </dev/null >/root/rc-syn.log 2>&1 & echo $! > /root/rc-syn.pid");
        Assert.True(setup.ExitCode == 0, setup.Stdout + setup.Stderr);
        Assert.Equal(HalfOpen, await WaitForSynRecvAsync(host, n => n == HalfOpen));
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("h1", host, DebianHost.RootUser, "health")]);
        var before = await MemInfoAsync(host);
        var availablePercent = 100.0 * before["MemAvailable"] / before["MemTotal"];
        specs.Write("hosts/health.yaml", Spec(Math.Min(100, Math.Ceiling(availablePercent) + 10)));

        // When drift reads the host
        var fired = await MonitorAsync(specs);
        var after = await MemInfoAsync(host);

        // Then the inode rule fires on the small tmpfs with the value df -i gives, and on no other filesystem
        var health = fired.Health!;
        var (inodes, used) = await DfInodesAsync(host, InodeMount);
        var inodeFinding = Assert.Single(fired.Findings, f => f.Rule == "inodes_used_max" && f.Subject == InodeMount);
        Assert.Equal((inodes, used), (100L, 91L));
        Assert.Equal(($"{Percent(used, inodes)} ({used} of {inodes} inodes)", "≤ 90 %", true), (inodeFinding.Value, inodeFinding.Threshold, inodeFinding.Breached));
        Assert.EndsWith("hosts/health.yaml:5:5", inodeFinding.Source);
        Assert.Equal([InodeMount], fired.Breached.Where(f => f.Rule == "inodes_used_max").Select(f => f.Subject));
        // The markup in a mount point is its name, as the kernel holds it, never anything else
        Assert.Single(health.Filesystems, f => f.Mount == HostileMount && f.Type == "tmpfs");
        // SYN_RECV is the backlog made, and the rule fires
        Assert.Equal(HalfOpen, health.SynRecv);
        Assert.Equal(($"{HalfOpen} in SYN_RECV", "≤ 10", true), Single(fired, "syn_recv_max"));
        // Memory is the kernel's, field by field (MemTotal exactly; the rest between the two reads beside the run)
        Assert.Equal(before["MemTotal"], health.Memory!.TotalKiB);
        AssertBetween("MemAvailable", health.Memory.AvailableKiB!.Value, before, after);
        AssertBetween("MemFree", health.Memory.FreeKiB, before, after);
        AssertBetween("Inactive", health.Memory.InactiveKiB, before, after);
        Assert.True(Single(fired, "memory_available_min").Breached);
        // ext4 (the container's bind mounts from the machine's disk) has no block device here: not available, not an error
        var ext = health.Filesystems.Where(f => f.Type is "ext2" or "ext3" or "ext4").ToList();
        Assert.NotEmpty(ext);
        Assert.All(ext, f => Assert.Equal("no block device for it on this host", f.Check.NotAvailable));
        Assert.All(fired.Findings.Where(f => f.Rule == "mount_count_below_max"),
            f => Assert.Equal(("not available: no block device for it on this host", false), (f.Value, f.Breached)));
        Assert.Equal(ext.Count, fired.Findings.Count(f => f.Rule == "mount_count_below_max"));
        Assert.Empty(fired.Errors);

        // When the files are deleted, the backlog is let through and ended, and the memory limit is below what is available
        var cleanup = await host.ExecAsync(
            $"rm -f {InodeMount}/f1* && iptables -D OUTPUT -o lo -p tcp --sport {SynPort} --tcp-flags SYN,ACK SYN,ACK -j DROP && " +
            "kill \"$(cat /root/rc-syn.pid)\"");
        Assert.True(cleanup.ExitCode == 0, cleanup.Stdout + cleanup.Stderr);
        Assert.Equal(0, await WaitForSynRecvAsync(host, n => n == 0));
        var now = await MemInfoAsync(host);
        specs.Write("hosts/health.yaml", Spec(Math.Max(0, Math.Floor(100.0 * now["MemAvailable"] / now["MemTotal"]) - 10)));
        var cleared = await MonitorAsync(specs);

        // Then every rule clears: 80 inodes used (11 files f1, f10-f19 removed), no SYN_RECV, memory above its limit
        var (inodesNow, usedNow) = await DfInodesAsync(host, InodeMount);
        Assert.Equal(80L, usedNow);
        var clearedInodes = Assert.Single(cleared.Findings, f => f.Rule == "inodes_used_max" && f.Subject == InodeMount);
        Assert.Equal(($"{Percent(usedNow, inodesNow)} ({usedNow} of {inodesNow} inodes)", false), (clearedInodes.Value, clearedInodes.Breached));
        Assert.Equal(("0 in SYN_RECV", "≤ 10", false), Single(cleared, "syn_recv_max"));
        Assert.False(Single(cleared, "memory_available_min").Breached);
        Assert.Empty(cleared.Breached);
        Assert.False(cleared.NeedsAttention);
    }

    private static (string Value, string Threshold, bool Breached) Single(HostMonitoring monitoring, string rule)
    {
        var finding = Assert.Single(monitoring.Findings, f => f.Rule == rule);
        return (finding.Value, finding.Threshold, finding.Breached);
    }

    /// <summary>Reads the specs and plans the host as drift does (monitoring on); the host itself must plan without error.</summary>
    private static async Task<HostMonitoring> MonitorAsync(SpecsWorkspace specs)
    {
        var loaded = new SpecLoader().Load(specs.Directory);
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Diagnostics));
        var engine = new Reconciliation(new SshTransport(TimeSpan.FromSeconds(15)), ResourceKinds.Registry(), new ReconcileOptions(HostTimeout: TimeSpan.FromMinutes(2)));
        var plan = await engine.PlanAsync(loaded.State!, null, CancellationToken.None, monitor: true);
        var host = Assert.Single(plan.Hosts);
        Assert.Null(host.Error);
        Assert.Empty(host.Changes);
        return host.Monitoring!;
    }

    private static string Percent(long part, long whole)
    {
        var tenths = (part * 1000 + whole - 1) / whole;
        return $"{tenths / 10}.{tenths % 10} %";
    }

    private static async Task<(long Inodes, long Used)> DfInodesAsync(DebianHost host, string mount)
    {
        var df = await host.ExecAsync($"df -Pi {mount} | tail -n 1");
        var fields = df.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[2], CultureInfo.InvariantCulture));
    }

    private static async Task<Dictionary<string, long>> MemInfoAsync(DebianHost host)
    {
        var meminfo = await host.ExecAsync("cat /proc/meminfo");
        return meminfo.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(f => f[0].TrimEnd(':'), f => long.Parse(f[1], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The figure lies between the two reads taken before and after the run, give or take 64 MiB of movement in between:
    /// close enough to tell MemFree, MemAvailable and Inactive apart on any host with a page cache.
    /// </summary>
    private static void AssertBetween(string field, long value, Dictionary<string, long> before, Dictionary<string, long> after)
    {
        const long slack = 64 * 1024;
        var (low, high) = (Math.Min(before[field], after[field]) - slack, Math.Max(before[field], after[field]) + slack);
        Assert.True(value >= low && value <= high, $"{field}: read {value} KiB, /proc/meminfo said {before[field]} then {after[field]}");
    }

    /// <summary>Sockets in SYN_RECV in the container, counted by ss apart from the read, once <paramref name="done"/> holds (at most 90 s).</summary>
    private static async Task<int> WaitForSynRecvAsync(DebianHost host, Func<int, bool> done)
    {
        var count = -1;
        for (var i = 0; i < 180 && !done(count); i++)
        {
            if (i > 0) await Task.Delay(500);
            var ss = await host.ExecAsync("ss -Htan state syn-recv | wc -l");
            count = int.Parse(ss.Stdout.Trim(), CultureInfo.InvariantCulture);
        }

        return count;
    }
}
