using System.Diagnostics;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Tests.Shell;

/// <summary>The envelope around apply scripts, run by the real /bin/sh the way the SSH session runs it (script on stdin).</summary>
public sealed class ScriptEnvelopeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reconciler-envelope-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Marker(string name) => Path.Combine(_dir, name);

    private string RunRoot => Path.Combine(_dir, "runs");

    private string Wrap(string body, string? handover = null, double delaySeconds = 30) =>
        ScriptEnvelope.Wrap(body, RunRoot, handover, TimeSpan.FromSeconds(delaySeconds));

    private static async Task<bool> EventuallyAsync(Func<bool> condition, int seconds = 10)
    {
        for (var i = 0; i < seconds * 10 && !condition(); i++) await Task.Delay(100);
        return condition();
    }

    private string Body => $"""
        printf 'first\n'
        touch {Sh.Quote(Marker("first"))}
        echo 'to stderr' >&2
        touch {Sh.Quote(Marker("second"))}
        exit 3
        """;

    private static Process Start()
    {
        var start = new ProcessStartInfo("/bin/sh", "-s")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return Process.Start(start)!;
    }

    [Fact]
    public async Task A_whole_script_runs_and_hands_back_its_output_error_and_exit_status()
    {
        using var sh = Start();
        await sh.StandardInput.WriteAsync(Wrap(Body));
        sh.StandardInput.Close();
        var stdout = await sh.StandardOutput.ReadToEndAsync();
        var stderr = await sh.StandardError.ReadToEndAsync();
        await sh.WaitForExitAsync();

        Assert.Equal((3, "first\n", "to stderr\n"), (sh.ExitCode, stdout, stderr));
        Assert.True(File.Exists(Marker("second")));
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public async Task A_script_cut_off_in_transit_runs_nothing(double fraction)
    {
        var whole = Wrap(Body);
        using var sh = Start();
        await sh.StandardInput.WriteAsync(whole[..(int)(whole.Length * fraction)]);
        sh.StandardInput.Close();
        await sh.StandardOutput.ReadToEndAsync();
        await sh.WaitForExitAsync();

        Assert.NotEqual(0, sh.ExitCode);
        Assert.False(File.Exists(Marker("first")), "the first command ran although the script never arrived whole");
    }

    [Fact]
    public async Task A_connection_gone_mid_run_neither_stops_the_body_nor_skips_the_handover()
    {
        var body = $"""
            printf 'early output\n'
            sleep 1
            touch {Sh.Quote(Marker("finished"))}
            """;
        using var sh = Start();
        await sh.StandardInput.WriteAsync(Wrap(body, $"touch {Sh.Quote(Marker("released"))}"));
        sh.StandardInput.Close();
        // The controller side goes away while the body still runs: nobody will ever read what it prints.
        sh.StandardOutput.Close();
        sh.StandardError.Close();
        await sh.WaitForExitAsync();

        Assert.True(File.Exists(Marker("finished")), "the body was killed when its output had nowhere to go");
        Assert.True(File.Exists(Marker("released")), "the handover did not run when the output could not be sent");
    }

    [Fact]
    public async Task A_controller_still_there_at_the_end_gets_the_output_and_the_handover_waits_for_its_delay()
    {
        using var sh = Start();
        // The delay is long enough that a loaded machine (CI runs container tests beside this) still reads the output
        // and sees the process end well before it; the test only waits for it once.
        await sh.StandardInput.WriteAsync(Wrap("echo done", $"touch {Sh.Quote(Marker("released"))}", delaySeconds: 6));
        sh.StandardInput.Close();
        Assert.Equal("done\n", await sh.StandardOutput.ReadToEndAsync());
        await sh.WaitForExitAsync();

        Assert.False(File.Exists(Marker("released")), "the handover ran although the controller got the output");
        Assert.True(await EventuallyAsync(() => File.Exists(Marker("released")), seconds: 30), "the handover never ran after its delay");
        Assert.True(await EventuallyAsync(() => Directory.GetFileSystemEntries(RunRoot).Length == 0), "the run directory was left behind");
    }

    [Fact]
    public async Task The_body_runs_detached_so_killing_the_session_side_stops_nothing()
    {
        var body = $"""
            sleep 1
            touch {Sh.Quote(Marker("finished"))}
            """;
        using var sh = Start();
        await sh.StandardInput.WriteAsync(Wrap(body, $"touch {Sh.Quote(Marker("released"))}", delaySeconds: 1));
        sh.StandardInput.Close();
        // As sshd does when it tears a session down: the attached shell dies while the body still runs.
        Assert.True(await EventuallyAsync(() => Directory.Exists(RunRoot) && Directory.GetDirectories(RunRoot).Any(d => File.Exists(Path.Combine(d, "pid")))));
        sh.Kill(entireProcessTree: false);
        await sh.WaitForExitAsync();

        Assert.True(await EventuallyAsync(() => File.Exists(Marker("finished"))), "the body died with the session");
        Assert.True(await EventuallyAsync(() => File.Exists(Marker("released"))), "the handover never ran");
    }

    [Fact]
    public async Task A_body_line_that_looks_like_a_here_document_end_ends_nothing()
    {
        using var sh = Start();
        await sh.StandardInput.WriteAsync(Wrap("echo RC_RUN_x\nprintf '%s\\n' 'RC_RUN_' 'EOF'\necho after"));
        sh.StandardInput.Close();
        Assert.Equal("RC_RUN_x\nRC_RUN_\nEOF\nafter\n", await sh.StandardOutput.ReadToEndAsync());
        await sh.WaitForExitAsync();
        Assert.Equal(0, sh.ExitCode);
    }
}
