using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>Commit-confirm against a real host: a firewall change that locks the controller out undoes itself.</summary>
public sealed class CommitConfirmTests
{
    private static string BlockSpec(params string[] entries) => $$"""
        kind: resources
        target: { group: web }
        firewall:
          block_sets:
            - name: blocklist
              entries: [{{string.Join(", ", entries)}}]
          flag_rules:
            - { name: syn-fin, protocol: tcp, mask: [SYN, FIN], set: [SYN, FIN], action: DROP }
        """;

    [Fact]
    public async Task A_firewall_change_that_blocks_the_controller_is_rolled_back_by_the_host_and_reported()
    {
        // Given a host whose firewall was applied and confirmed with a harmless block list
        await using var host = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "web")]);
        specs.Write("firewall.yaml", BlockSpec("198.51.100.7"));
        var first = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory, "--confirm-timeout", "10");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("commit-confirm: confirmed over a new SSH connection", first.Stdout);
        var before = await FirewallState(host);

        // When a new block list contains the address the controller's SSH connections come from
        // (published ports reach the container from its bridge gateway)
        var controller = (await host.ExecAsync("ip -4 route show default | awk '{print $3}'")).Stdout.Trim();
        Assert.Matches(@"^\d+\.\d+\.\d+\.\d+$", controller);
        specs.Write("firewall.yaml", BlockSpec("198.51.100.7", controller));
        var locked = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory, "--confirm-timeout", "10");

        // Then the apply fails and says why, the host restored its old rules by itself, and SSH works again
        Assert.True(locked.ExitCode == 1, locked.ToString());
        Assert.Contains("commit-confirm failed: no new SSH connection could confirm the change before the 10s deadline", locked.Stdout);
        Assert.Contains("the host restored its previous state by itself", locked.Stdout);
        Assert.Contains("rolled back by commit-confirm", locked.Stdout);
        Assert.Equal(before, await FirewallState(host));
        Assert.DoesNotContain(controller, (await host.ExecAsync("ipset list rc-blocklist-v4")).Stdout);

        specs.Write("firewall.yaml", BlockSpec("198.51.100.7"));
        var after = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(after.ExitCode == 0, after.ToString());
    }

    private static async Task<string> FirewallState(DebianHost host) =>
        (await host.ExecAsync("iptables -S; ipset save | sort; cat /etc/iptables/rules.v4 | grep -v '^#'; sort /etc/iptables/ipsets")).Stdout;
}
