using System.Text.RegularExpressions;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Networks;
using Reconciler.Core.Model;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;
using Reconciler.Ssh;

namespace Reconciler.Integration.Tests;

/// <summary>
/// Hosts behind bastions (inventory <c>via</c>): the targets sit on Docker networks with no published port, under names
/// only containers on those networks resolve, so the controller reaches them through the bastion or not at all.
/// </summary>
public sealed partial class BastionTests
{
    [Fact]
    public async Task Hosts_behind_a_bastion_are_planned_and_applied_over_one_connection_to_it()
    {
        await using var network = await NetworkAsync();
        await using var bastion = await DebianHost.StartOnNetworksAsync([network]);
        var targets = await Task.WhenAll(Enumerable.Range(1, 3).Select(i => DebianHost.StartOnNetworksAsync([network], $"inner{i}-{Guid.NewGuid():N}")));
        try
        {
            using var specs = SpecsWorkspace.Create();
            await specs.WriteInventoryAsync(
                targets.Select((h, i) => ($"web{i + 1}", h, DebianHost.RootUser, "hardened")).Prepend(("jump", bastion, DebianHost.RootUser, "hardened")),
                via: name => name == "jump" ? null : "jump", bastionOnly: new HashSet<string> { "jump" });
            HardeningSpec.WriteTo(specs);

            var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
            Assert.True(plan.ExitCode == 2, plan.ToString());
            foreach (var name in new[] { "web1", "web2", "web3" }) Assert.Contains(name, plan.Stdout);
            // bastion_only: the bastion carries the others' connections and is not itself planned.
            Assert.DoesNotContain("jump", plan.Stdout);
            Assert.Equal((3, 1), (plan.Traffic.Connections, plan.Traffic.BastionConnections));

            var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
            Assert.True(apply.ExitCode == 0, apply.ToString());
            Assert.Equal((3, 1), (apply.Traffic.Connections, apply.Traffic.BastionConnections));
            var (_, backlog, _) = await targets[1].ExecAsync("cat /proc/sys/net/ipv4/tcp_max_syn_backlog");
            Assert.Equal("16000", backlog.Trim());

            // What the bastion's sshd saw: one login per run (plan, apply), however many hosts were behind it.
            Assert.Equal(2, AcceptedLogins(await bastion.LogsAsync()));
        }
        finally
        {
            foreach (var target in targets) await target.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_host_two_bastions_deep_is_reached_through_both()
    {
        // inner: bastion1 (published to the controller) and bastion2; innermost: bastion2 and the target, which bastion1
        // can neither resolve nor reach: the target is reached through both bastions or not at all.
        await using var inner = await NetworkAsync();
        await using var innermost = await NetworkAsync();
        await using var bastion1 = await DebianHost.StartOnNetworksAsync([inner]);
        await using var bastion2 = await DebianHost.StartOnNetworksAsync([inner, innermost], $"hop2-{Guid.NewGuid():N}");
        await using var target = await DebianHost.StartOnNetworksAsync([innermost], $"deep-{Guid.NewGuid():N}");

        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync(
            [("hop1", bastion1, DebianHost.RootUser, "edge"), ("hop2", bastion2, DebianHost.RootUser, "edge"), ("deep", target, DebianHost.RootUser, "hardened")],
            via: name => name switch { "hop2" => "hop1", "deep" => "hop2", _ => null });
        HardeningSpec.WriteTo(specs);

        // Both bastions are managed hosts here (not bastion_only): planned themselves, and carrying the deep host.
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("deep", plan.Stdout);
        Assert.Equal(2, plan.Traffic.BastionConnections);

        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        var (_, backlog, _) = await target.ExecAsync("cat /proc/sys/net/ipv4/tcp_max_syn_backlog");
        Assert.Equal("16000", backlog.Trim());
    }

    [Fact]
    public async Task An_unreachable_bastion_fails_its_hosts_with_its_name_and_the_others_finish()
    {
        await using var network = await NetworkAsync();
        await using var direct = await DebianHost.StartAsync();
        await using var bastion = await DebianHost.StartOnNetworksAsync([network]);
        await using var behind = await DebianHost.StartOnNetworksAsync([network], $"behind-{Guid.NewGuid():N}");
        var bastionKey = await bastion.HostKeyAsync();
        var port = bastion.Port;
        await bastion.DisposeAsync(); // nothing answers on its port any more

        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync(
            [("direct", direct, DebianHost.RootUser, "hardened"), ("behind", behind, DebianHost.RootUser, "hardened")], via: name => name == "behind" ? "gone" : null);
        // The bastion as it was: its address and key still in the inventory, the machine gone.
        specs.Write("inventory.yaml", File.ReadAllText(Path.Combine(specs.Directory, "inventory.yaml")) + $"""
              gone:
                address: 127.0.0.1
                port: {port}
                identity_file: {bastion.KeyPair.PrivateKeyPath}
                host_key: "{bastionKey}"
                bastion_only: true

            """);
        HardeningSpec.WriteTo(specs);

        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);

        Assert.True(plan.ExitCode == 1, plan.ToString());
        Assert.Contains(plan.ToString().Split('\n'), line => line.Contains("behind") && line.Contains("its bastion gone"));
        Assert.Contains("direct", plan.Stdout);
        Assert.Equal((1, 0), (plan.Traffic.Connections, plan.Traffic.BastionConnections));
    }

    [Fact]
    public async Task A_host_behind_a_bastion_is_held_to_its_own_host_key_not_the_bastions()
    {
        await using var network = await NetworkAsync();
        await using var bastion = await DebianHost.StartOnNetworksAsync([network]);
        await using var target = await DebianHost.StartOnNetworksAsync([network], $"pinned-{Guid.NewGuid():N}");
        var bastionKey = await bastion.HostKeyAsync();
        var targetKey = await target.HostKeyAsync();

        using var specs = SpecsWorkspace.Create();
        // The target pinned to the bastion's key: what the inventory would hold if the bastion answered for the target.
        await specs.WriteInventoryAsync(
            [("jump", bastion, DebianHost.RootUser, "edge"), ("web1", target, DebianHost.RootUser, "hardened")],
            hostKeyOverride: key => key == targetKey ? bastionKey : key, via: name => name == "web1" ? "jump" : null);
        HardeningSpec.WriteTo(specs);

        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);

        Assert.True(plan.ExitCode == 1, plan.ToString());
        Assert.Contains("host key mismatch: web1 offered", plan.ToString());
        Assert.Equal((1, 1), (plan.Traffic.Connections, plan.Traffic.BastionConnections));

        // And the other way round: a bastion offering another key than its pin carries no host at all.
        await specs.WriteInventoryAsync(
            [("jump", bastion, DebianHost.RootUser, "edge"), ("web1", target, DebianHost.RootUser, "hardened")],
            hostKeyOverride: key => key == bastionKey ? targetKey : key, via: name => name == "web1" ? "jump" : null);
        var throughImpostor = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(throughImpostor.ExitCode == 1, throughImpostor.ToString());
        Assert.Matches(@"web1: not reached: its bastion jump \(127\.0\.0\.1:\d+\): host key mismatch: jump offered", throughImpostor.ToString());
        Assert.Equal((0, 0), (throughImpostor.Traffic.Connections, throughImpostor.Traffic.BastionConnections));
    }

    /// <summary>
    /// A host whose connection is cancelled (its time limit) while the tunnel through its bastion is open: the tunnel's
    /// loopback listener is closed with it, though the bastion's connection stays for the run's other hosts. It once stayed
    /// open, forwarding to the host, for as long as the bastion's connection lasted — a watch's whole life.
    /// </summary>
    [Fact]
    public async Task A_connection_cancelled_behind_a_bastion_leaves_no_loopback_listener()
    {
        await using var network = await NetworkAsync();
        await using var bastion = await DebianHost.StartOnNetworksAsync([network]);
        // Behind the bastion, a port that accepts and never says a word: the target's SSH handshake waits until cancelled.
        await bastion.ExecAsync("nohup perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalAddr => q(127.0.0.1), LocalPort => 2299, Listen => 5, ReuseAddr => 1) or die; while ($c = $s->accept) { push @held, $c }' >/dev/null 2>&1 &");
        var key = await bastion.HostKeyAsync();
        var jump = new HostSpec("jump", bastion.Address, bastion.Port, DebianHost.RootUser, bastion.KeyPair.PrivateKeyPath, key, [], new Dictionary<string, object?>());
        var silent = new HostSpec("silent", "127.0.0.1", 2299, DebianHost.RootUser, bastion.KeyPair.PrivateKeyPath, key, [], new Dictionary<string, object?>())
        {
            Via = jump.ConnectionOnly(),
            ConnectTimeout = TimeSpan.FromMinutes(5),
        };
        using var transport = new SshTransport(TimeSpan.FromMinutes(5));
        await (await transport.ConnectAsync(jump, default)).DisposeAsync();
        var before = OwnLoopbackListeners();

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => transport.ConnectAsync(silent, limit.Token));

        Assert.Equal(1, transport.Stats.BastionConnections);
        Assert.Equal(before, OwnLoopbackListeners());
    }

    /// <summary>The TCP ports this process listens on at 127.0.0.1 (its own sockets only: other runs share the machine).</summary>
    private static List<int> OwnLoopbackListeners()
    {
        var sockets = System.IO.Directory.EnumerateFiles("/proc/self/fd")
            .Select(fd => { try { return new FileInfo(fd).LinkTarget; } catch (IOException) { return null; } })
            .Where(target => target?.StartsWith("socket:[", StringComparison.Ordinal) == true)
            .Select(target => target!["socket:[".Length..^1])
            .ToHashSet();
        return File.ReadLines("/proc/self/net/tcp").Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            // local address 127.0.0.1 (0100007F), state 0A (LISTEN), owned by one of this process's sockets
            .Where(f => f[1].StartsWith("0100007F:", StringComparison.Ordinal) && f[3] == "0A" && sockets.Contains(f[9]))
            .Select(f => Convert.ToInt32(f[1][9..], 16))
            .Order()
            .ToList();
    }

    private static int AcceptedLogins(string sshdLog) => AcceptedLogin().Count(sshdLog);

    [GeneratedRegex("Accepted publickey for ")]
    private static partial Regex AcceptedLogin();

    private static async Task<INetwork> NetworkAsync()
    {
        var network = new NetworkBuilder().WithName($"reconciler-test-{Guid.NewGuid():N}").WithLabel(DebianHost.TestLabel, "true").Build();
        await network.CreateAsync();
        return network;
    }
}
