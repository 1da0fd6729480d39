using Reconciler.Cli;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;
using Reconciler.Ssh;

namespace Reconciler.Integration.Tests;

/// <summary><c>reconciler watch</c> run in-process as the service it is: the real host, the real SSH transport.</summary>
public sealed class WatchTests
{
    [Fact]
    public async Task Watch_with_auto_apply_converges_on_the_first_cycle_finds_nothing_on_the_second_and_stops_with_exit_0()
    {
        // Given a blank Debian host and the hardening spec
        await using var host = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        HardeningSpec.WriteTo(specs);

        // When watch runs every 2 seconds with auto-apply, until two cycles have reported
        var stdout = new SharedWriter();
        var stderr = new SharedWriter();
        using var stop = new CancellationTokenSource();
        var run = App.RunAsync(
            ["watch", "--specs", specs.Directory, "--interval", "2s", "--auto-apply"],
            new Terminal(stdout, stderr, Colour: false, Interactive: false), new SshTransport(TimeSpan.FromSeconds(15)), stop.Token);
        // A cycle's block is written in one piece, so once cycle 2's header is there its whole result is.
        var sawTwo = await stdout.WaitForAsync("── cycle 2 ", TimeSpan.FromMinutes(3), run);
        stop.Cancel();
        var exit = await run.WaitAsync(TimeSpan.FromSeconds(30));
        var output = $"exit {exit}\n--- stdout ---\n{stdout.Text}\n--- stderr ---\n{stderr.Text}";

        // Then it stopped cleanly, the first cycle applied and verified, and the second had nothing to do
        Assert.True(sawTwo, output);
        Assert.True(exit == 0, output);
        var cycles = stdout.Text.Split("── cycle ", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("1 ", cycles[0]);
        Assert.Contains("✓ ", cycles[0]);
        Assert.Contains("verified: a fresh read shows the host as declared", cycles[0]);
        Assert.Matches(@"Apply: 1 host\(s\): 1 succeeded; [1-9]\d* change\(s\) applied, 0 failed\.", cycles[0]);
        Assert.StartsWith("2 ", cycles[1]);
        Assert.Contains("nothing to do", cycles[1]);
        Assert.Contains("Apply: 1 host(s): 1 succeeded; 0 change(s) applied, 0 failed.", cycles[1]);
        Assert.Equal("400", (await host.ExecAsync("stat -c %a /etc/shadow")).Stdout.Trim());
    }

    [Fact]
    public async Task Watch_once_against_an_unreachable_host_reports_it_and_exits_1()
    {
        // Given an inventory whose only host refuses connections (nothing listens on port 1)
        using var specs = SpecsWorkspace.Create();
        specs.Write("inventory.yaml", $"""
            kind: inventory
            hosts:
              web1:
                address: 127.0.0.1
                port: 1
                identity_file: {SshKeyPair.Shared.PrivateKeyPath}
                host_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEJtUxuTy1r6MvOdi/hrxqJP1BUicmr5R1J+UvnLsnqs"
            """);
        specs.Write("sysctl.yaml", """
            kind: resources
            target: { host: web1 }
            sysctls:
              - { key: net.ipv4.tcp_syncookies, value: 1 }
            """);

        // When one watch cycle runs
        var run = await CliRun.ExecAsync("watch", "--specs", specs.Directory, "--once");

        // Then the cycle reports the host and the exit status says the cycle failed
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("── cycle 1 ", run.Stdout);
        Assert.Contains("web1: error: web1 (127.0.0.1:1)", run.Stdout);
        Assert.Contains("1 unreachable", run.Stdout);
    }
}
