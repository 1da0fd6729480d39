using Reconciler.Core.Plans;

namespace Reconciler.Cli.Views;

/// <summary>
/// Which planned changes deserve a warning before merge: deletions (of a resource, or of parts of one such as table
/// rows), anything touching the firewall or network interfaces (a mistake there can cut the host off), and service
/// restarts (an outage even when right).
/// </summary>
internal static class DestructiveChanges
{
    /// <summary>
    /// Why <paramref name="change"/> is destructive, or null when it is not: read from its action and effects. The parts
    /// it deletes are named by their attributes, whose names may hold host or DNS text (a package apt would remove, a
    /// nameserver): each is written through <paramref name="shown"/>, the medium's inert form (a code span in Markdown).
    /// </summary>
    public static string? Reason(ResourceChange change, Func<string, string> shown)
    {
        if (!change.Action.ChangesHost()) return null;
        if (change.Action == ChangeAction.Delete) return "delete";
        var effects = change.Effects;
        if (effects.HasFlag(ChangeEffects.DeletesData))
        {
            var parts = change.Attributes.Where(a => a.After is PlanValue.Deleted).Select(a => shown(a.Name.Text)).ToList();
            return $"deletes {parts.Count} part(s): {string.Join(", ", parts)}";
        }

        return effects.HasFlag(ChangeEffects.TouchesFirewall) ? "firewall"
            : effects.HasFlag(ChangeEffects.TouchesNetworkInterfaces) ? "network interface"
            : effects.HasFlag(ChangeEffects.RestartsService) ? "restart"
            : null;
    }

    /// <summary>Service reloads planned (postfix, dovecot): the carrier of each service's transaction reloads it.</summary>
    public static int Reloads(HostPlan host) =>
        host.Changes.Count(c => c.Action.ChangesHost() && c.Effects.HasFlag(ChangeEffects.ReloadsService));
}
