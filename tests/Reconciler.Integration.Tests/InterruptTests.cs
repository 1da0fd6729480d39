using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Reconciler.Core.Model;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>
/// Issue 21: Ctrl-C (SIGINT to the real CLI process) at each stage of a real apply against a container, then the host is
/// inspected: its service, its apply lock, and what the CLI said. The stages are made long by the host itself: an init
/// script whose 'status' (read) or 'start' (apply) sleeps while a flag file exists, and marks when it began.
/// </summary>
public sealed class InterruptTests
{
    private const string InitScript = """
        #!/bin/sh
        ### BEGIN INIT INFO
        # Provides: slowsvc
        ### END INIT INFO
        case "$1" in
          status) touch /run/slow-status.began; [ -e /run/slow-status ] && sleep 8; [ -e /run/slowsvc.running ] ;;
          start) touch /run/slow-start.began; [ -e /run/slow-start ] && sleep 8; touch /run/slowsvc.running ;;
          stop) rm -f /run/slowsvc.running ;;
          *) exit 3 ;;
        esac
        """;

    private static async Task<(DebianHost Host, SpecsWorkspace Specs)> StartAsync()
    {
        var host = await DebianHost.StartAsync();
        await host.ExecAsync($"cat > /etc/init.d/slowsvc <<'EOF'\n{InitScript}\nEOF\nchmod 0755 /etc/init.d/slowsvc");
        var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("h1", host, DebianHost.RootUser, "web")]);
        specs.Write("slow.yaml", "kind: resources\ntarget: { host: h1 }\nservices:\n  - { name: slowsvc, running: true }\n");
        return (host, specs);
    }

    /// <summary>The CLI as a child process whose output is collected as it comes, so a test can signal it mid-run.</summary>
    private sealed class CliProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        public CliProcess(params string[] args)
        {
            var start = new ProcessStartInfo(MeasuredCliRun.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "reconciler.dll"));
            foreach (var a in args) start.ArgumentList.Add(a);
            start.Environment[PlanKey.EnvironmentVariable] = CliRun.TestPlanKey;
            _process = new Process { StartInfo = start };
            _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
            _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Output { get { lock (_output) return _output.ToString(); } }

        public void Interrupt() => Assert.Equal(0, Kill(_process.Id, 2));

        public async Task<int> ExitAsync(TimeSpan within)
        {
            using var limit = new CancellationTokenSource(within);
            await _process.WaitForExitAsync(limit.Token);
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        private static extern int Kill(int pid, int signal);
    }

    private static async Task UntilAsync(DebianHost host, string path)
    {
        for (var i = 0; i < 300; i++)
        {
            if ((await host.ExecAsync($"test -e {path}")).ExitCode == 0) return;
            await Task.Delay(100);
        }

        Assert.Fail($"{path} never appeared on the host");
    }

    private static async Task<bool> ExistsAsync(DebianHost host, string path) => (await host.ExecAsync($"test -e {path}")).ExitCode == 0;

    [Fact]
    public async Task Interrupted_while_reading_nothing_is_applied_the_lock_is_released_and_no_stack_trace_is_shown()
    {
        var (host, specs) = await StartAsync();
        await using var _ = host;
        using var __ = specs;
        await host.ExecAsync("touch /run/slow-status");

        using var cli = new CliProcess("apply", "--yes", "--specs", specs.Directory);
        await UntilAsync(host, "/run/slow-status.began");
        cli.Interrupt();
        var exit = await cli.ExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exit == 130, cli.Output);
        Assert.Contains("h1: interrupted: interrupted before its apply started: nothing was applied and its lock was released", cli.Output);
        Assert.Contains("1 interrupted", cli.Output);
        Assert.DoesNotContain("   at ", cli.Output);
        Assert.False(await ExistsAsync(host, "/run/slowsvc.running"));
        Assert.False(await ExistsAsync(host, "/run/slow-start.began"));
        Assert.False(await ExistsAsync(host, "/var/lib/reconciler/lock"));
    }

    [Fact]
    public async Task Interrupted_while_applying_the_host_finishes_is_verified_and_its_lock_released()
    {
        var (host, specs) = await StartAsync();
        await using var _ = host;
        using var __ = specs;
        await host.ExecAsync("touch /run/slow-start");

        using var cli = new CliProcess("apply", "--yes", "--specs", specs.Directory);
        await UntilAsync(host, "/run/slow-start.began");
        cli.Interrupt();
        var exit = await cli.ExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 130, cli.Output);
        Assert.Contains("interrupted: stopping; hosts already applying finish first", cli.Output);
        Assert.Contains("Apply: 1 host(s): 1 succeeded;", cli.Output);
        Assert.DoesNotContain("   at ", cli.Output);
        Assert.True(await ExistsAsync(host, "/run/slowsvc.running"));
        Assert.False(await ExistsAsync(host, "/var/lib/reconciler/lock"));
    }

    [Fact]
    public async Task Interrupted_twice_while_applying_the_cli_stops_waiting_and_the_host_finishes_and_releases_its_lock_itself()
    {
        var (host, specs) = await StartAsync();
        await using var _ = host;
        using var __ = specs;
        await host.ExecAsync("touch /run/slow-start");

        using var cli = new CliProcess("apply", "--yes", "--specs", specs.Directory);
        await UntilAsync(host, "/run/slow-start.began");
        cli.Interrupt();
        await Task.Delay(300);
        cli.Interrupt();
        var exit = await cli.ExitAsync(TimeSpan.FromSeconds(5));

        Assert.True(exit == 130, cli.Output);
        Assert.Contains("interrupted again: no longer waiting", cli.Output);
        Assert.DoesNotContain("   at ", cli.Output);
        Assert.True(await ExistsAsync(host, "/var/lib/reconciler/lock"), "the apply was still running when the CLI ended");
        // The detached apply carries on; with nobody to hand its output to, it releases the lock itself.
        for (var i = 0; i < 300 && await ExistsAsync(host, "/var/lib/reconciler/lock"); i++) await Task.Delay(200);
        Assert.True(await ExistsAsync(host, "/run/slowsvc.running"));
        Assert.False(await ExistsAsync(host, "/var/lib/reconciler/lock"));
    }
}
