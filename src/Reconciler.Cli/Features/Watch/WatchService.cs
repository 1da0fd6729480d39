using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Reconciler.Cli.Features.Watch;

/// <summary>
/// The watch loop: one cycle at every interval, measured from the start of the previous cycle on the injected clock,
/// until the host stops. A cycle that throws or finds hosts unreachable is logged and the schedule goes on; a stop
/// cancels the running cycle (the engine stops at the next await; guarded firewall and DSR changes that were not
/// confirmed are rolled back by the host itself) and ends the loop without an error.
/// </summary>
internal sealed partial class WatchService(
    WatchSession session,
    IWatchCycle cycle,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<WatchService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var request = session.Request;
        Started(log, request.SpecsDirectory, request.Interval, request.AutoApply ? "auto-apply" : "drift only", request.Once);
        var number = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            number++;
            var started = clock.GetTimestamp();
            var exit = await RunCycleAsync(number, stoppingToken);
            if (request.Once)
            {
                session.ExitCode = exit;
                lifetime.StopApplication();
                return;
            }

            if (!await WaitForNextCycleAsync(number, started, request.Interval, stoppingToken))
            {
                break;
            }
        }

        Stopped(log, number);
    }

    private async Task<int> RunCycleAsync(int number, CancellationToken stoppingToken)
    {
        try
        {
            var report = await cycle.RunAsync(number, stoppingToken);
            var level = report.ExitCode switch
            {
                ExitCodes.Ok => LogLevel.Information,
                ExitCodes.Changes => LogLevel.Warning,
                _ => LogLevel.Error,
            };
            if (report.Problem is not null)
            {
                CycleProblem(log, report.Cycle, report.Problem);
            }

            CycleFinished(log, level, report.Cycle, report.ExitCode, report.Hosts, report.Creates, report.Updates, report.Deletes, report.Applied,
                report.DriftedHosts, report.FailedHosts, report.Revision ?? "-");
            return report.ExitCode;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            CycleCancelled(log, number);
            // A one-shot run that was interrupted did not do its job; a service asked to stop did exactly that.
            return ExitCodes.Error;
        }
        catch (Exception e)
        {
            // Whatever went wrong (a pull, a bug, a host timing out), the next cycle starts from scratch.
            CycleFailed(log, e, number, Views.TerminalText.Inline(e.Message));
            return ExitCodes.Error;
        }
    }

    /// <summary>
    /// Waits for the next slot on the interval grid. A cycle that overran its interval skips the slots it missed
    /// (as cron would) instead of starting cycles back to back. False when the service is stopping.
    /// </summary>
    private async Task<bool> WaitForNextCycleAsync(int number, long started, TimeSpan interval, CancellationToken stoppingToken)
    {
        var elapsed = clock.GetElapsedTime(started);
        // The first slot not already past: one that is due exactly now still runs.
        var slots = Math.Max(1, (long)Math.Ceiling(elapsed / interval));
        if (slots > 1)
        {
            SlotsSkipped(log, number, elapsed, interval, slots - 1);
        }

        try
        {
            await Task.Delay(interval * slots - elapsed, clock, stoppingToken);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Watching {Specs} every {Interval} ({Mode}, once: {Once})")]
    private static partial void Started(ILogger log, string specs, TimeSpan interval, string mode, bool once);

    [LoggerMessage(Message = "Cycle {Cycle} finished with exit status {ExitStatus}: {Hosts} host(s), {Creates} to create, {Updates} to update, {Deletes} to delete, {Applied} applied; drifted hosts {DriftedHosts}, failed hosts {FailedHosts}; revision {Revision}")]
    private static partial void CycleFinished(ILogger log, LogLevel level, int cycle, int exitStatus, int hosts, int creates, int updates, int deletes, int applied,
        IReadOnlyList<string> driftedHosts, IReadOnlyList<string> failedHosts, string revision);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cycle {Cycle}: {Problem}")]
    private static partial void CycleProblem(ILogger log, int cycle, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cycle {Cycle} failed: {Error}; the next cycle runs as scheduled")]
    private static partial void CycleFailed(ILogger log, Exception exception, int cycle, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cycle {Cycle} cancelled: the service is stopping")]
    private static partial void CycleCancelled(ILogger log, int cycle);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cycle {Cycle} took {Elapsed}, longer than the interval {Interval}; {Skipped} scheduled cycle(s) skipped")]
    private static partial void SlotsSkipped(ILogger log, int cycle, TimeSpan elapsed, TimeSpan interval, long skipped);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watch stopped after {Cycles} cycle(s)")]
    private static partial void Stopped(ILogger log, int cycles);
}
