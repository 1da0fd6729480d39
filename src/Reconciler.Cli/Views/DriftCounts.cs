using Reconciler.Core.Plans;

namespace Reconciler.Cli.Views;

/// <summary>
/// The counts every drift report states (drift.md and so the console, drift.html, drift.json, fleet.html), taken once
/// from <see cref="DriftRows.Status"/> and the hosts' monitoring, so no two reports can disagree.
/// </summary>
internal sealed record DriftCounts(
    int Hosts, int InSync, int Drifted, int NeedsAttention, int Unreachable, int HostKeyMismatch, int Breached, int MonitoringErrors)
{
    public static DriftCounts Of(Plan plan)
    {
        int With(string status) => plan.Hosts.Count(h => DriftRows.Status(h) == status);
        return new DriftCounts(
            plan.Hosts.Count, With(DriftRows.InSync), With(DriftRows.Drifted), With(DriftRows.NeedsAttention), With(DriftRows.Unreachable), With(DriftRows.HostKeyMismatch),
            plan.Hosts.Sum(h => HostFindings.Breached(h).Count), plan.Hosts.Sum(h => HostFindings.Errors(h).Count));
    }

    /// <summary>
    /// "2 in sync, 1 drifted, 1 needs attention, 0 unreachable", a host key mismatch count when there is one (the counts
    /// always add up to the hosts), then the findings when the run read any.
    /// </summary>
    public string Sentence(bool monitored) =>
        $"{InSync} in sync, {Drifted} drifted, {NeedsAttention} needs attention, {Unreachable} unreachable"
        + (HostKeyMismatch > 0 ? $", {HostKeyMismatch} host key mismatch" : "")
        + (monitored ? $"; {Breached} health rule(s) breached, {MonitoringErrors} monitoring error(s)" : "");
}
