using Reconciler.Core.Plans;

namespace Reconciler.Cli.Features;

/// <summary>terraform plan -detailed-exitcode semantics, shared by plan and drift.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int Changes = 2;

    /// <summary>1 when any host could not be read or a resource is blocked, else 2 when anything would change, else 0.</summary>
    public static int For(Plan plan) => plan.HasErrors ? Error : plan.HasChanges ? Changes : Ok;

    /// <summary>
    /// drift: 1 when a host could not be read (or issues could not be kept), else 2 when a host drifted or needs
    /// attention (a breached health rule, a monitored kind that could not be read: something to look at, like drift),
    /// else 0.
    /// </summary>
    public static int ForDrift(Plan plan, bool failed) =>
        failed || plan.Hosts.Any(h => h.Error is not null) ? Error
        : plan.Hosts.Any(h => Views.DriftRows.Status(h) is Views.DriftRows.Drifted or Views.DriftRows.NeedsAttention) ? Changes
        : Ok;
}
