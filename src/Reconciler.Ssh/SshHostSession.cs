using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Reconciler.Ssh;

/// <summary>
/// Runs scripts over the host's one connection. The script goes on stdin to <c>sh -s</c> (behind <c>sudo -n</c> for
/// non-root users), so it never appears in the remote process list and its size is not bounded by ARG_MAX.
/// Output is read while the command runs, each stream up to its <see cref="OutputLimits"/>: a host printing more is
/// stopped and gets a one-line error, and the controller never holds more than the limits.
/// A script that has not answered after <see cref="SshLiveness.Interval"/> is watched: a probe (<c>true</c> on a second
/// channel of the same connection) must answer within <see cref="SshLiveness.Timeout"/>, or the connection counts as
/// dead — a silently dropped connection is found in seconds, not after TCP's retransmissions give up.
/// </summary>
internal sealed class SshHostSession(SshClient client, HostSpec host, SshTransportStats stats, OutputLimits limits, SshLiveness liveness) : IHostSession
{
    private const int SudoFailed = 126;

    public async Task<ScriptResult> RunScriptAsync(string script, CancellationToken cancellationToken)
    {
        var shell = host.NeedsSudo ? "sudo -n -- /bin/sh -s || exit 126" : "/bin/sh -s";
        using var command = client.CreateCommand(host.NeedsSudo ? $"sudo -n true 2>/dev/null || exit {SudoFailed}; {shell}" : shell);
        using var overflow = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stdout = new CappedOutput(limits.StdoutBytes);
        var stderr = new CappedOutput(limits.StderrBytes);
        Task drained = Task.CompletedTask;
        try
        {
            var execution = command.ExecuteAsync(overflow.Token);
            stats.RanCommand();
            drained = Task.WhenAll(stdout.DrainAsync(command.OutputStream, overflow), stderr.DrainAsync(command.ExtendedOutputStream, overflow));
            await WhileAliveAsync(SendAsync(execution, command, script, overflow.Token), overflow.Token);
        }
        catch (OperationCanceledException) when (overflow.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // A stream went over its limit. The readers are not awaited: closing this session (the engine does, on this
            // error) ends the connection, and with it the remote command and anything still arriving.
            throw Overflowed(stdout, stderr);
        }
        catch (Exception e) when (e is SshException or ObjectDisposedException or InvalidOperationException or IOException or System.Net.Sockets.SocketException)
        {
            throw new TransportException($"{host.Name}: connection lost while running a command: {e.Message}", e);
        }

        await drained;
        if (stdout.Exceeded || stderr.Exceeded)
        {
            throw Overflowed(stdout, stderr);
        }

        var exit = command.ExitStatus ?? -1;
        if (host.NeedsSudo && exit == SudoFailed && stdout.Text.Length == 0)
        {
            throw new TransportException($"{host.Name}: user {host.User} cannot run commands as root (sudo -n failed; passwordless sudo is required)");
        }

        return new ScriptResult(exit, stdout.Text, stderr.Text);
    }

    private TransportException Overflowed(CappedOutput stdout, CappedOutput stderr)
    {
        var (stream, limit) = stdout.Exceeded ? ("output", stdout.Limit) : ("error output", stderr.Limit);
        return new TransportException(
            $"{host.Name}: command {stream} exceeded {OutputLimits.Describe(limit)}; the command was stopped and this host is not planned " +
            "(a host printing this much is broken or hostile)");
    }

    private static async Task SendAsync(Task execution, SshCommand command, string script, CancellationToken cancellationToken)
    {
        await using (var stdin = command.CreateInputStream())
        {
            await stdin.WriteAsync(Encoding.UTF8.GetBytes(script), cancellationToken);
        }

        await execution;
    }

    private async Task WhileAliveAsync(Task running, CancellationToken cancellationToken)
    {
        while (await Task.WhenAny(running, Task.Delay(liveness.Interval, cancellationToken)) != running)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!await AnswersAsync(cancellationToken))
            {
                // The command may never complete; its failure when the client is disposed is of no interest.
                _ = running.ContinueWith(t => t.Exception, TaskScheduler.Default);
                throw new TransportException(
                    $"{host.Name}: connection lost: the host did not answer a liveness probe within {liveness.Timeout.TotalSeconds:0.#}s");
            }
        }

        await running;
    }

    private async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(liveness.Timeout);
        // Opening a channel may block in SSH.NET until its own timeout: the probe runs apart and is abandoned if late.
        var probe = Task.Run(async () =>
        {
            using var command = client.CreateCommand("true");
            await command.ExecuteAsync(attempt.Token);
        }, CancellationToken.None);
        var answered = await Task.WhenAny(probe, Task.Delay(liveness.Timeout, cancellationToken)) == probe;
        _ = probe.ContinueWith(t => t.Exception, TaskScheduler.Default);
        return answered && probe.IsCompletedSuccessfully;
    }

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }
}
