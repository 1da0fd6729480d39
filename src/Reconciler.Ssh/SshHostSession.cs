using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Reconciler.Ssh;

/// <summary>
/// Runs scripts over the host's one connection. The script goes on stdin to <c>sh -s</c> (behind <c>sudo -n</c> for
/// non-root users), so it never appears in the remote process list and its size is not bounded by ARG_MAX.
/// Output is read while the command runs, each stream up to its <see cref="OutputLimits"/> and charged to the run's
/// <see cref="HostOutputBudget"/> (shared by every host of the run): a host printing more than its cap, or more than the
/// run's budget can give it, is stopped and gets a one-line error, and the controller never holds more than the budget.
/// A script that has not answered after <see cref="SshLiveness.Interval"/> is watched: a probe (<c>true</c> on a second
/// channel of the same connection) must answer within <see cref="SshLiveness.Timeout"/>, or the connection counts as
/// dead — a silently dropped connection is found in seconds, not after TCP's retransmissions give up. The probe's
/// output is capped like any read (<see cref="ProbeLimit"/>): a probe is answered with nothing, so more is hostile.
/// </summary>
/// <param name="tunnel">The tunnel through the host's bastion the connection runs over (null: direct); closed with the session.</param>
internal sealed class SshHostSession(
    SshClient client, HostSpec host, SshTransportStats stats, OutputLimits limits, SshLiveness liveness, HostOutputBudget budget, BastionTunnel? tunnel = null)
    : IHostSession
{
    private const int SudoFailed = 126;

    /// <summary>What a liveness probe (<c>true</c>, which prints nothing) may print on each stream before it counts as hostile.</summary>
    internal const int ProbeLimit = 4096;

    /// <summary>This host's share of the run's budget: the output of its last command, until the engine has parsed it.</summary>
    private readonly HostOutputBudget.Lease _lease = budget.Open();

    public async Task<ScriptResult> RunScriptAsync(string script, CancellationToken cancellationToken)
    {
        var shell = host.NeedsSudo ? "sudo -n -- /bin/sh -s || exit 126" : "/bin/sh -s";
        using var command = client.CreateCommand(host.NeedsSudo ? $"sudo -n true 2>/dev/null || exit {SudoFailed}; {shell}" : shell);
        using var overflow = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Waits, holding nothing, until the run's budget has room for an answer (the previous answer is given back first).
        await _lease.AdmitAsync(cancellationToken);
        var stdout = new CappedOutput(limits.StdoutBytes, _lease);
        var stderr = new CappedOutput(limits.StderrBytes, _lease);
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
            // A stream went over its limit. The readers are not awaited: the connection is closed now, ending the remote
            // command and anything still arriving (the engine disposes the session on this error too).
            CutConnection();
            throw Overflowed(stdout, stderr);
        }
        catch (Exception e) when (e is SshException or ObjectDisposedException or InvalidOperationException or IOException or System.Net.Sockets.SocketException)
        {
            throw new TransportException($"{host.Name}: connection lost while running a command: {e.Message}", e);
        }

        await drained;
        _lease.Settle();
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

    /// <summary>The output given back at once: none of it is kept, the command was stopped.</summary>
    private TransportException Overflowed(CappedOutput stdout, CappedOutput stderr)
    {
        _lease.Release();
        var (stream, which) = stdout.Exceeded ? ("output", stdout) : ("error output", stderr);
        if (which.Overflow == OutputOverflow.Budget)
        {
            return new TransportException(
                $"{host.Name}: the run's budget for host output ({OutputLimits.Describe(budget.Total)} across all hosts) had no room for more of this " +
                $"command's {stream} after {OutputLimits.Describe(which.Length)}; the command was stopped and this host is not planned " +
                "(other hosts of this run printed the rest; a host printing this much is broken or hostile)");
        }

        return new TransportException(
            $"{host.Name}: command {stream} exceeded {OutputLimits.Describe(which.Limit)}; the command was stopped and this host is not planned " +
            "(a host printing this much is broken or hostile)");
    }

    /// <summary>The engine has parsed the last answer: its share of the run's budget goes back for other hosts.</summary>
    public void ReleaseOutput() => _lease.Release();

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
            var answer = await AnswersAsync(cancellationToken);
            if (answer == ProbeAnswer.Flooded)
            {
                _ = running.ContinueWith(t => t.Exception, TaskScheduler.Default);
                throw new TransportException(
                    $"{host.Name}: the liveness probe printed more than {OutputLimits.Describe(ProbeLimit)} (it prints nothing); " +
                    "the connection was closed and this host is not planned (a host answering this way is broken or hostile)");
            }

            if (answer != ProbeAnswer.Answered)
            {
                // The command may never complete; its failure when the client is disposed is of no interest.
                _ = running.ContinueWith(t => t.Exception, TaskScheduler.Default);
                throw new TransportException(
                    $"{host.Name}: connection lost: the host did not answer a liveness probe within {liveness.Timeout.TotalSeconds:0.#}s");
            }
        }

        await running;
    }

    private enum ProbeAnswer
    {
        Answered,
        Silent,
        Flooded,
    }

    private async Task<ProbeAnswer> AnswersAsync(CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(liveness.Timeout);
        // Opening a channel may block in SSH.NET until its own timeout: the probe runs apart and is abandoned if late.
        // Its output is drained and capped like any read: SSH.NET keeps whatever arrives, read or not.
        var probe = Task.Run(async () =>
        {
            using var command = client.CreateCommand("true");
            using var flooded = CancellationTokenSource.CreateLinkedTokenSource(attempt.Token);
            var stdout = new CappedOutput(ProbeLimit);
            var stderr = new CappedOutput(ProbeLimit);
            var execution = command.ExecuteAsync(flooded.Token);
            var drained = Task.WhenAll(stdout.DrainAsync(command.OutputStream, flooded), stderr.DrainAsync(command.ExtendedOutputStream, flooded));
            try
            {
                await execution;
            }
            catch (OperationCanceledException) when (stdout.Exceeded || stderr.Exceeded)
            {
                CutConnection();
                return ProbeAnswer.Flooded;
            }

            await drained;
            if (!stdout.Exceeded && !stderr.Exceeded) return ProbeAnswer.Answered;
            CutConnection();
            return ProbeAnswer.Flooded;
        }, CancellationToken.None);
        var answered = await Task.WhenAny(probe, Task.Delay(liveness.Timeout, cancellationToken)) == probe;
        _ = probe.ContinueWith(t => t.Exception, TaskScheduler.Default);
        return answered && probe.IsCompletedSuccessfully ? probe.Result : ProbeAnswer.Silent;
    }

    /// <summary>
    /// Closes the connection the moment a flood is seen, before the error travels up to whoever disposes the session:
    /// SSH.NET acknowledges data as it arrives and keeps what nobody reads, so a host streaming /dev/zero fills the
    /// controller's memory at loopback speed in the meantime (a probe flood was measured at 526 MiB peak without this).
    /// </summary>
    private void CutConnection()
    {
        try
        {
            client.Disconnect();
        }
        catch (Exception e) when (e is SshException or ObjectDisposedException or InvalidOperationException or IOException or System.Net.Sockets.SocketException)
        {
            // Already gone: nothing more can arrive.
        }
    }

    public ValueTask DisposeAsync()
    {
        _lease.Release();
        client.Dispose();
        tunnel?.Dispose();
        return ValueTask.CompletedTask;
    }
}
