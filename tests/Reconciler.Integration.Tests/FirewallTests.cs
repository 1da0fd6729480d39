using System.Net.Sockets;
using System.Text;
using Reconciler.Core.Resources.Firewall;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>Block sets and flag rules against real Debian hosts (iptables-nft, ipset, netfilter-persistent) over SSH.</summary>
public sealed class FirewallTests
{
    private const string Spec = """
        kind: resources
        target: { group: web }
        firewall:
          block_sets:
            - name: blocklist
              entries: [198.51.100.7, "2001:db8:bad::/48"]
              entries_file: lists/blocklist.txt
          flag_rules:
            - { name: syn-fin, protocol: tcp, mask: [SYN, FIN], set: [SYN, FIN], action: DROP }
            - { name: syn-rst, protocol: tcp, mask: [SYN, RST], set: [SYN, RST], action: DROP }
            - { name: fin-rst, protocol: tcp, mask: [FIN, RST], set: [FIN, RST], action: DROP }
            - { name: fin-no-ack, protocol: tcp, mask: [ACK, FIN], set: [FIN], action: DROP }
        """;

    private const string BlockList = """
        # documentation ranges
        192.0.2.66
        203.0.113.0/28   # a whole network

        2001:db8:dead::1
        """;

    private static async Task<(DebianHost Host, SpecsWorkspace Specs)> StartAsync()
    {
        var host = await DebianHost.StartAsync();
        var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "web")]);
        specs.Write("firewall.yaml", Spec);
        specs.Write("lists/blocklist.txt", BlockList);
        return (host, specs);
    }

    private static async Task<string> Sh(DebianHost host, string command)
    {
        var (exit, stdout, stderr) = await host.ExecAsync(command);
        Assert.True(exit == 0, $"{command}: exit {exit}: {stderr}");
        return stdout;
    }

    [Fact]
    public async Task Apply_from_blank_enforces_sets_rules_jump_and_persistence_then_plan_is_clean()
    {
        var (host, specs) = await StartAsync();
        await using var _ = host;
        using var __ = specs;

        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("+ ipset[rc-blocklist-v4]", plan.Stdout);
        Assert.Contains("+ ipset[rc-blocklist-v6]", plan.Stdout);
        Assert.Contains("+ iptables[filter/RECONCILER-INPUT]", plan.Stdout);
        Assert.Contains("+ ip6tables[filter/RECONCILER-INPUT]", plan.Stdout);
        Assert.Contains("live: (unset) → 3 entries: +3 −0 (added 192.0.2.66, 198.51.100.7, 203.0.113.0/28)", plan.Stdout);

        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());

        var v4 = await Sh(host, "iptables -S");
        Assert.Contains("-A INPUT -j RECONCILER-INPUT", v4);
        Assert.StartsWith("-A INPUT -j RECONCILER-INPUT", (await Sh(host, "iptables -S INPUT | grep '^-A' | head -n 1")).Trim());
        Assert.Contains("-A RECONCILER-INPUT -m set --match-set rc-blocklist-v4 src -m comment --comment blocklist -j DROP", v4);
        Assert.Contains("-A RECONCILER-INPUT -p tcp -m tcp --tcp-flags FIN,SYN FIN,SYN -m comment --comment syn-fin -j DROP", v4);
        Assert.Contains("-A RECONCILER-INPUT -p tcp -m tcp --tcp-flags FIN,ACK FIN -m comment --comment fin-no-ack -j DROP", v4);
        Assert.Contains("--match-set rc-blocklist-v6 src", await Sh(host, "ip6tables -S RECONCILER-INPUT"));
        Assert.Equal("192.0.2.66\n198.51.100.7\n203.0.113.0/28", (await Sh(host, "ipset save rc-blocklist-v4 | awk '$1==\"add\"{print $3}' | sort")).Trim());
        Assert.Equal("2001:db8:bad::/48\n2001:db8:dead::1", (await Sh(host, "ipset save rc-blocklist-v6 | awk '$1==\"add\"{print $3}' | sort")).Trim());
        Assert.Contains("-A RECONCILER-INPUT -p tcp -m tcp --tcp-flags FIN,SYN FIN,SYN -m comment --comment syn-fin -j DROP", await Sh(host, "cat /etc/iptables/rules.v4"));
        Assert.Contains("--match-set rc-blocklist-v6", await Sh(host, "cat /etc/iptables/rules.v6"));
        Assert.Contains("add rc-blocklist-v4 203.0.113.0/28", await Sh(host, "cat /etc/iptables/ipsets"));
        Assert.Equal("640", (await Sh(host, "stat -c %a /etc/iptables/ipsets")).Trim());

        var again = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("web1: no changes", again.Stdout);
    }

    [Fact]
    public async Task Hand_added_rule_removed_member_and_persisted_difference_are_drift()
    {
        var (host, specs) = await StartAsync();
        await using var _ = host;
        using var __ = specs;
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        var reportDir = Path.Combine(specs.Directory, "report");

        // A rule added by hand inside the managed chain, and one outside it (not ours: never reported or touched)
        await Sh(host, "iptables -A RECONCILER-INPUT -s 203.0.113.99 -j ACCEPT && iptables -A INPUT -s 198.51.100.200 -j DROP");
        var drift = await CliRun.ExecAsync("drift", "--specs", specs.Directory, "--report-dir", reportDir);
        Assert.True(drift.ExitCode == 2, drift.ToString());
        var md = await File.ReadAllTextAsync(Path.Combine(reportDir, "drift.md"));
        Assert.Contains("| `iptables[filter/RECONCILER-INPUT]` | `rule` | `(unset)` | `-A RECONCILER-INPUT -s 203.0.113.99/32 -j ACCEPT` |", md);
        Assert.DoesNotContain("198.51.100.200", md);

        // A member removed by hand
        await Sh(host, "ipset del rc-blocklist-v4 192.0.2.66");
        drift = await CliRun.ExecAsync("drift", "--specs", specs.Directory, "--report-dir", reportDir);
        Assert.True(drift.ExitCode == 2, drift.ToString());
        md = await File.ReadAllTextAsync(Path.Combine(reportDir, "drift.md"));
        Assert.Contains("| `ipset[rc-blocklist-v4]` | `live` | `3 entries: +1 −0 (added 192.0.2.66)` | `2 entries` |", md);

        // Apply repairs both and leaves the foreign INPUT rule alone
        apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.DoesNotContain("203.0.113.99", await Sh(host, "iptables -S RECONCILER-INPUT"));
        Assert.Contains("-A INPUT -s 198.51.100.200/32 -j DROP", await Sh(host, "iptables -S INPUT"));
        Assert.Contains("add rc-blocklist-v4 192.0.2.66", await Sh(host, "ipset save rc-blocklist-v4"));

        // Live and persisted differ: the saved ruleset lost a rule, the saved set gained a member
        await Sh(host, "sed -i '/comment syn-rst/d' /etc/iptables/rules.v4 && echo 'add rc-blocklist-v6 2001:db8::99' >> /etc/iptables/ipsets");
        drift = await CliRun.ExecAsync("drift", "--specs", specs.Directory, "--report-dir", reportDir);
        Assert.True(drift.ExitCode == 2, drift.ToString());
        md = await File.ReadAllTextAsync(Path.Combine(reportDir, "drift.md"));
        Assert.Contains("| `iptables[filter/RECONCILER-INPUT]` | `persisted rule` | `-A RECONCILER-INPUT -p tcp -m tcp --tcp-flags SYN,RST SYN,RST -m comment --comment syn-rst -j DROP` | `(unset)` |", md);
        Assert.Contains("| `ipset[rc-blocklist-v6]` | `persisted` | `2 entries: +0 −1 (removed 2001:db8::99) (/etc/iptables/ipsets)` | `3 entries (/etc/iptables/ipsets)` |", md);
        Assert.DoesNotContain("| `iptables[filter/RECONCILER-INPUT]` | `rule` |", md);
    }

    [Fact]
    public async Task A_10000_entry_set_is_planned_and_applied_and_a_dropped_set_is_destroyed()
    {
        var (host, specs) = await StartAsync();
        await using var _ = host;
        using var __ = specs;
        specs.Write("lists/blocklist.txt", BigList(10_000, 0));

        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("live: (unset) → 10001 entries: +10001 −0 (added 10.0.0.0, 10.0.0.1, 10.0.0.10, …)", plan.Stdout);
        Assert.True(plan.Stdout.Length < 20_000, "the plan lists the whole set");

        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal("10001", (await Sh(host, "ipset save rc-blocklist-v4 | grep -c '^add '")).Trim()); // + the inline 198.51.100.7
        Assert.Equal("10001", (await Sh(host, "grep -c '^add rc-blocklist-v4 ' /etc/iptables/ipsets")).Trim());
        var again = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(again.ExitCode == 0, again.ToString());

        // The set leaves the spec: the chain stops referencing it, then it is destroyed
        specs.Write("firewall.yaml", Spec.Replace("""
              block_sets:
                - name: blocklist
                  entries: [198.51.100.7, "2001:db8:bad::/48"]
                  entries_file: lists/blocklist.txt
            """, """
              block_sets:
                - name: other
                  entries: [198.51.100.8]
            """));
        plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("stale set: rc-blocklist-v4 → (unset)", plan.Stdout);
        apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal("rc-other-v4", (await Sh(host, "ipset list -n")).Trim());
        Assert.DoesNotContain("rc-blocklist", await Sh(host, "cat /etc/iptables/ipsets /etc/iptables/rules.v4 /etc/iptables/rules.v6"));
    }

    [Fact]
    public async Task Swapping_a_10000_entry_set_drops_no_connection_from_an_allowed_source()
    {
        var (host, specs) = await StartAsync();
        await using var _ = host;
        using var __ = specs;
        specs.Write("lists/blocklist.txt", BigList(10_000, 0));
        var first = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(first.ExitCode == 0, first.ToString());

        using var stop = new CancellationTokenSource();
        var probe = Task.Run(() => ConnectLoopAsync(host.Port, stop.Token));
        for (var round = 1; round <= 3; round++)
        {
            specs.Write("lists/blocklist.txt", BigList(10_000, round * 2500));
            var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
            Assert.True(apply.ExitCode == 0, apply.ToString());
            Assert.Equal("10001", (await Sh(host, "ipset save rc-blocklist-v4 | grep -c '^add '")).Trim()); // + the inline 198.51.100.7
        }

        await stop.CancelAsync();
        var (attempts, failures) = await probe;
        Assert.True(attempts > 0, "no connection was attempted");
        Assert.True(failures.Count == 0, $"{failures.Count} of {attempts} connections failed: {string.Join("; ", failures.Take(5))}");
        Assert.DoesNotContain("rct-", await Sh(host, "ipset list -n"));
    }

    [Fact]
    public async Task Snapshot_then_restore_returns_rules_sets_and_files_to_the_saved_state()
    {
        var (host, specs) = await StartAsync();
        await using var _ = host;
        using var __ = specs;
        const string state = "iptables -S; ip6tables -S; ipset save | sed 's/ initval [^ ]*//' | sort; ls /etc/iptables 2>/dev/null || true";
        var guard = new FirewallKind().Guard;

        // From blank: the restore removes the chain, the jump, the sets and the files apply created
        var blank = await Sh(host, state);
        await Sh(host, $"export RC_SNAPSHOT=/tmp/snap1; mkdir -p $RC_SNAPSHOT\n{guard.SnapshotScript}");
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.NotEqual(blank, await Sh(host, state));
        await Sh(host, $"export RC_SNAPSHOT=/tmp/snap1\n{guard.RestoreScript}");
        Assert.Equal(blank, await Sh(host, state));

        // From an applied state: a later change (new members, a dropped rule, a destroyed set) is undone
        apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        var applied = await Sh(host, state);
        await Sh(host, $"export RC_SNAPSHOT=/tmp/snap2; mkdir -p $RC_SNAPSHOT\n{guard.SnapshotScript}");
        specs.Write("firewall.yaml", Spec.Replace("entries: [198.51.100.7, \"2001:db8:bad::/48\"]", "entries: [198.51.100.9]")
            .Replace("    - { name: fin-rst, protocol: tcp, mask: [FIN, RST], set: [FIN, RST], action: DROP }\n", ""));
        specs.Write("lists/blocklist.txt", "192.0.2.1\n");
        apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.NotEqual(applied, await Sh(host, state));
        await Sh(host, $"export RC_SNAPSHOT=/tmp/snap2\n{guard.RestoreScript}");
        Assert.Equal(applied, await Sh(host, state));
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 2, plan.ToString());
    }

    private static string BigList(int count, int offset)
    {
        var text = new StringBuilder("# generated\n");
        for (var i = offset; i < offset + count; i++)
        {
            text.Append($"10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}\n");
        }

        return text.ToString();
    }

    /// <summary>Opens connections back to back, each one must connect and read the SSH banner.</summary>
    private static async Task<(int Attempts, List<string> Failures)> ConnectLoopAsync(int port, CancellationToken stop)
    {
        var attempts = 0;
        var failures = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            attempts++;
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, timeout.Token);
                var buffer = new byte[64];
                var read = await client.GetStream().ReadAsync(buffer, timeout.Token);
                if (read == 0 || !Encoding.ASCII.GetString(buffer, 0, read).StartsWith("SSH-", StringComparison.Ordinal))
                {
                    failures.Add($"attempt {attempts}: no banner");
                }
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                failures.Add($"attempt {attempts}: {e.GetType().Name}: {e.Message}");
            }
        }

        return (attempts, failures);
    }
}
