using Microsoft.Extensions.Logging;
using Reconciler.Cli.Views;
using Reconciler.Core.Engine;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Features.Watch;

/// <summary>What one watch cycle found and did; the service logs it as one structured event.</summary>
/// <param name="DriftedHosts">Hosts whose live state differed from the specs (in auto-apply mode: before the apply).</param>
/// <param name="FailedHosts">Hosts that could not be read, had blocked resources, or whose apply failed or did not converge.</param>
/// <param name="Applied">Changes applied successfully (auto-apply only).</param>
/// <param name="ExitCode">As the one-shot commands: drift mode 0 in sync, 2 drift, 1 error; auto-apply 0 success, 1 failure.</param>
/// <param name="Problem">Why the cycle contacted no host (invalid specs), if so.</param>
internal sealed record CycleReport(
    int Cycle,
    string? Revision,
    int Hosts,
    int Creates,
    int Updates,
    int Deletes,
    IReadOnlyList<string> DriftedHosts,
    IReadOnlyList<string> FailedHosts,
    int Applied,
    int ExitCode,
    string? Problem = null);

/// <summary>One reconcile pass; the service around it owns scheduling, failures and cancellation.</summary>
internal interface IWatchCycle
{
    Task<CycleReport> RunAsync(int cycle, CancellationToken ct);
}

/// <summary>Refresh the source → validate → plan (drift) or apply → print the plan or apply result to stdout.</summary>
internal sealed partial class WatchCycle(
    WatchSession session,
    IDesiredStateSource source,
    SpecGate gate,
    Reconciliation engine,
    Terminal terminal,
    TimeProvider clock,
    ILogger<WatchCycle> log) : IWatchCycle
{
    public async Task<CycleReport> RunAsync(int cycle, CancellationToken ct)
    {
        var request = session.Request;
        var snapshot = await source.RefreshAsync(ct);
        // Validation runs every cycle: the specs may have changed since the last one, and invalid specs contact no host.
        // A pulled, clean working copy is exactly HEAD: hosts applied from it record that commit.
        var specs = gate.Load(snapshot.SpecsDirectory);
        if (specs?.SelectionProblem(request.Hosts) is { } unselectable)
        {
            // The specs may have dropped the hosts this watch was started for: said every cycle, nothing contacted.
            return new CycleReport(cycle, snapshot.Revision, 0, 0, 0, 0, [], [], 0, ExitCodes.Error, $"--hosts: {unselectable}; no host was contacted");
        }

        var state = specs?.Filter(request.Hosts).WithParallel(request.Parallel) is { } loaded
            ? loaded with { Commit = snapshot.Revision ?? loaded.Commit }
            : null;
        if (state is null)
        {
            return new CycleReport(cycle, snapshot.Revision, 0, 0, 0, 0, [], [], 0, ExitCodes.Error, "the specs are invalid (diagnostics above); no host was contacted");
        }

        var styles = new Styles(terminal.Colour);
        if (request.AutoApply)
        {
            // Apply plans on the host's own connection and changes only what differs, so no separate plan pass is needed.
            // No lock wait: a host another run holds is reported failed and tried again next cycle.
            var result = await engine.ApplyAsync(state, new ApplySettings(request.ConfirmTimeout), null, ct);
            Print(cycle, snapshot, ApplyTextView.Render(result, styles));
            var planned = new Plan(result.Hosts.Select(h => h.Planned).ToList());
            LogHosts(cycle, planned);
            foreach (var failed in result.Hosts.Where(h => h is { Succeeded: false, Error: null, Planned.Error: null }))
            {
                if (failed.Unknown is not null) HostApplyUnknown(log, cycle, TerminalText.Inline(failed.Host), TerminalText.Inline(failed.Unknown));
                else HostApplyFailed(log, cycle, TerminalText.Inline(failed.Host));
            }

            return Report(cycle, snapshot, planned, result.Hosts.Where(h => !h.Succeeded).Select(h => h.Host).ToList(),
                result.Hosts.Sum(h => h.Outcomes.Count(o => o.Succeeded)), result.Succeeded ? ExitCodes.Ok : ExitCodes.Error);
        }

        var plan = await engine.PlanAsync(state, null, ct);
        Print(cycle, snapshot, PlanTextView.Render(plan, styles));
        LogHosts(cycle, plan);
        var exit = ExitCodes.For(plan);
        return Report(cycle, snapshot, plan, plan.Hosts.Where(h => h.HasErrors).Select(h => h.Host).ToList(), 0, exit);
    }

    private static CycleReport Report(int cycle, DesiredStateSnapshot snapshot, Plan plan, IReadOnlyList<string> failed, int applied, int exit) =>
        new(cycle, snapshot.Revision, plan.Hosts.Count, plan.Count(ChangeAction.Create), plan.Count(ChangeAction.Update), plan.Count(ChangeAction.Delete),
            plan.Hosts.Where(h => h.HasChanges).Select(h => h.Host).ToList(), failed, applied, exit);

    /// <summary>One event per host that needs attention, so a log search by host finds what changed there.</summary>
    private void LogHosts(int cycle, Plan plan)
    {
        foreach (var host in plan.Hosts)
        {
            if (host.Error is not null)
            {
                HostUnreachable(log, cycle, TerminalText.Inline(host.Host), TerminalText.Inline(host.Error));
            }
            else if (host.HasChanges || host.HasErrors)
            {
                var addresses = host.Changes.Where(c => c.Action.ChangesHost() || c.Action == ChangeAction.Blocked).Select(c => TerminalText.Inline($"{c.Action.Symbol()} {c.Address}")).ToList();
                HostDiffers(log, cycle, TerminalText.Inline(host.Host), host.Count(ChangeAction.Create), host.Count(ChangeAction.Update), host.Count(ChangeAction.Delete),
                    host.Count(ChangeAction.Blocked), addresses);
            }
        }
    }

    /// <summary>The human view, one write per cycle so concurrent output cannot interleave inside it.</summary>
    private void Print(int cycle, DesiredStateSnapshot snapshot, string body)
    {
        var revision = snapshot.Revision is null ? "" : $" · {snapshot.Revision}";
        terminal.Out.Write($"── cycle {cycle} · {clock.GetUtcNow():yyyy-MM-dd HH:mm:ss}Z{revision} ──{Environment.NewLine}{body}{Environment.NewLine}");
        terminal.Out.Flush();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Cycle {Cycle}: {Host} could not be reconciled: {Error}")]
    private static partial void HostUnreachable(ILogger log, int cycle, string host, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cycle {Cycle}: apply on {Host} failed or did not converge (see the apply result on stdout)")]
    private static partial void HostApplyFailed(ILogger log, int cycle, string host);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cycle {Cycle}: apply on {Host} has an UNKNOWN outcome, the connection was lost during apply: {Reason}")]
    private static partial void HostApplyUnknown(ILogger log, int cycle, string host, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cycle {Cycle}: {Host} differs: {Creates} to create, {Updates} to update, {Deletes} to delete, {Blocked} blocked: {Changes}")]
    private static partial void HostDiffers(ILogger log, int cycle, string host, int creates, int updates, int deletes, int blocked, IReadOnlyList<string> changes);
}
