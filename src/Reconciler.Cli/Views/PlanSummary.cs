using Reconciler.Core.Plans;

namespace Reconciler.Cli.Views;

internal static class PlanSummary
{
    public static string Line(Plan plan)
    {
        var unreachable = plan.Hosts.Count(h => h.Error is not null && !h.HostKeyMismatch);
        var mismatched = plan.Hosts.Count(h => h.HostKeyMismatch);
        var text = $"Plan: {plan.Count(ChangeAction.Create)} to create, {plan.Count(ChangeAction.Update)} to update, " +
                   $"{plan.Count(ChangeAction.Delete)} to delete, {plan.Count(ChangeAction.Skip)} skipped, " +
                   $"{plan.Count(ChangeAction.Blocked)} blocked; {plan.Hosts.Count} host(s)";
        return text + (unreachable > 0 ? $", {unreachable} unreachable" : "") + (mismatched > 0 ? $", {mismatched} host key mismatch" : "") + ".";
    }
}
