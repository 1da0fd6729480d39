using Reconciler.Core.Plans;

namespace Reconciler.Cli.Views;

/// <summary>
/// Which planned changes deserve a warning before merge: deletions (of a resource, or of parts of one such as table
/// rows), anything touching the firewall or network interfaces (a mistake there can cut the host off), and service
/// restarts (an outage even when right).
/// </summary>
internal static class DestructiveChanges
{
    private static readonly HashSet<string> FirewallKinds = new(["ipset", "iptables", "ip6tables"], StringComparer.Ordinal);
    private static readonly HashSet<string> InterfaceKinds = new(["dsr_vip", "dsr_arp"], StringComparer.Ordinal);

    /// <summary>Why <paramref name="change"/> is destructive, or null when it is not.</summary>
    public static string? Reason(ResourceChange change) =>
        !change.Action.ChangesHost() ? null
        : change.Action == ChangeAction.Delete ? "delete"
        : change.Attributes.Count(a => a.After == AttributeChange.DeletedText) is > 0 and var parts ? $"deletes {parts} part(s): {string.Join(", ", change.Attributes.Where(a => a.After == AttributeChange.DeletedText).Select(a => a.Name))}"
        : FirewallKinds.Contains(change.Address.Kind) ? "firewall"
        : InterfaceKinds.Contains(change.Address.Kind) ? "network interface"
        : change.Attributes.Any(a => a.Name == "restart") ? "restart"
        : null;

    /// <summary>Service reloads planned (postfix, dovecot): the carrier of each service's transaction says "reload".</summary>
    public static int Reloads(HostPlan host) =>
        host.Changes.Count(c => c.Action.ChangesHost() && c.Attributes.Any(a => a.Name == "reload"));
}
