using Reconciler.Core.Plans;

namespace Reconciler.Cli.Views;

internal static class PlanSummary
{
    public static string Line(Plan plan)
    {
        var failed = plan.Hosts.Count(h => h.Error is not null);
        var text = $"Plan: {plan.Count(ChangeAction.Create)} to create, {plan.Count(ChangeAction.Update)} to update, " +
                   $"{plan.Count(ChangeAction.Delete)} to delete, {plan.Count(ChangeAction.Skip)} skipped, " +
                   $"{plan.Count(ChangeAction.Blocked)} blocked; {plan.Hosts.Count} host(s)";
        return failed > 0 ? $"{text}, {failed} unreachable." : text + ".";
    }
}
