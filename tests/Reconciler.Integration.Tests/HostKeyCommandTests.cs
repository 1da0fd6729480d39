using System.Text.RegularExpressions;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>
/// Issue 21: <c>reconciler host-key HOST:PORT</c> prints the inventory line for a real sshd's key (never its ssh-keyscan
/// form), with the fingerprint and a plain warning; the printed line pins the host for a plan; a host with no ed25519
/// key gives its next algorithm's key; a closed port is one line and exit 1.
/// </summary>
public sealed class HostKeyCommandTests
{
    [Fact]
    public async Task The_printed_line_is_the_hosts_own_key_and_pins_it_for_a_plan()
    {
        await using var host = await DebianHost.StartAsync();

        var run = await CliRun.ExecAsync("host-key", $"{host.Address}:{host.Port}");

        Assert.True(run.ExitCode == 0, run.ToString());
        var line = Regex.Match(run.Stdout, "^    host_key: \"(?<key>[^\"]+)\"$", RegexOptions.Multiline);
        Assert.True(line.Success, run.ToString());
        Assert.Equal(await host.HostKeyAsync(), line.Groups["key"].Value);
        var (_, fingerprint, _) = await host.ExecAsync("ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub | cut -d' ' -f2");
        Assert.Contains($"offered ssh-ed25519 {fingerprint.Trim()}", run.Stdout);
        Assert.Contains("compare the", run.Stdout);

        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("h1", host, DebianHost.RootUser, "")], _ => line.Groups["key"].Value);
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 0, plan.ToString());
    }

    [Fact]
    public async Task A_host_without_an_ed25519_key_gives_its_next_algorithms_key()
    {
        await using var host = await DebianHost.StartAsync();
        var (code, _, error) = await host.ExecAsync(
            "rm -f /etc/ssh/ssh_host_ed25519_key* && kill -HUP $(cat /run/sshd.pid) && sleep 1");
        Assert.True(code == 0, error);

        var run = await CliRun.ExecAsync("host-key", $"{host.Address}:{host.Port}");

        Assert.True(run.ExitCode == 0, run.ToString());
        var (_, ecdsa, _) = await host.ExecAsync("cut -d' ' -f1,2 /etc/ssh/ssh_host_ecdsa_key.pub");
        Assert.Contains($"    host_key: \"{ecdsa.Trim()}\"", run.Stdout);
    }

    [Fact]
    public async Task A_closed_port_is_one_line_and_exit_1()
    {
        var run = await CliRun.ExecAsync("host-key", "127.0.0.1:1");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("host-key: 127.0.0.1:1: cannot connect: ConnectionRefused", run.Stderr.Trim());
        Assert.Empty(run.Stdout);
    }
}
