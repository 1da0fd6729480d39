using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Engine;

/// <summary>
/// The controller's half of commit-confirm: after a guarded apply, prove the host still accepts a <em>new</em> SSH
/// connection before its timer fires. If it does not, the host restores itself; this waits for that and reports it.
/// </summary>
internal sealed class CommitConfirmation(IHostTransport transport, TimeProvider clock)
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan AfterDeadlineWindow = TimeSpan.FromSeconds(90);

    /// <summary>Confirms; on success returns the new session, which the caller uses (verification) and disposes.</summary>
    public async Task<(GuardOutcome Outcome, IHostSession? Session)> ConfirmAsync(
        HostSpec host, Guard guard, DateTimeOffset deadline, CancellationToken ct)
    {
        string? lastError = null;
        // Leave a margin before the deadline: a confirmation racing the timer is decided on the host, but a
        // connection still being opened when the timer fires would only waste the attempt.
        while (clock.GetUtcNow() < deadline - TimeSpan.FromSeconds(1))
        {
            var (session, answer, error) = await TryAsync(host, guard.ConfirmScript(), deadline - clock.GetUtcNow(), ct);
            if (answer is not null)
            {
                if (answer.StartsWith("confirmed", StringComparison.Ordinal))
                {
                    return (new GuardOutcome(true, false, "confirmed over a new SSH connection"), session);
                }

                await DisposeAsync(session);
                if (answer.StartsWith("rolled-back", StringComparison.Ordinal))
                {
                    return (RolledBack(answer, "the confirmation came too late"), null);
                }
            }

            lastError = error ?? lastError;
            await Task.Delay(RetryPause, clock, ct);
        }

        // No confirmation in time: the host restores itself at the deadline. Wait for that and prove it is reachable.
        var why = $"no new SSH connection could confirm the change before the {guard.Timeout.TotalSeconds:0.#}s deadline ({lastError ?? "no answer"})";
        var waitUntil = deadline + AfterDeadlineWindow;
        while (clock.GetUtcNow() < waitUntil)
        {
            var (session, answer, _) = await TryAsync(host, guard.ConfirmScript(), TimeSpan.FromSeconds(10), ct);
            await DisposeAsync(session);
            if (answer?.StartsWith("rolled-back", StringComparison.Ordinal) == true)
            {
                return (RolledBack(answer, why), null);
            }

            await Task.Delay(RetryPause, clock, ct);
        }

        return (new GuardOutcome(false, false, $"{why}; the host did not answer within {AfterDeadlineWindow.TotalSeconds:0}s after its rollback deadline either"), null);
    }

    private static GuardOutcome RolledBack(string answer, string why)
    {
        var lines = answer.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var status = lines[0]["rolled-back".Length..].Trim();
        var detail = status == "0" ? "" : $" (restore exited {status}: {string.Join(" ", lines.Skip(1))})";
        return new GuardOutcome(false, true, $"{why}; the host restored its previous state by itself{detail} and is reachable again");
    }

    private async Task<(IHostSession? Session, string? Answer, string? Error)> TryAsync(
        HostSpec host, string script, TimeSpan budget, CancellationToken ct)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(budget > TimeSpan.FromSeconds(1) ? budget : TimeSpan.FromSeconds(1));
        IHostSession? session = null;
        try
        {
            session = await transport.ConnectAsync(host, attempt.Token);
            var result = await session.RunScriptAsync(script, attempt.Token);
            return (session, result.Stdout.Trim(), null);
        }
        catch (TransportException e)
        {
            await DisposeAsync(session);
            return (null, null, e.Message);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await DisposeAsync(session);
            return (null, null, "connection attempt timed out");
        }
    }

    private static async Task DisposeAsync(IHostSession? session)
    {
        if (session is not null) await session.DisposeAsync();
    }
}
