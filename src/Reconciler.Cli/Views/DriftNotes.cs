using Reconciler.Core.Plans;

namespace Reconciler.Cli.Views;

/// <summary>
/// What drift.md and drift.html say under the host table, from one model so the two never disagree: where each host
/// stands against the repository (a commit, or "applied from a specs directory"), how an apply the controller lost
/// ended, and a lock held while drift read the host. Plain text; each view escapes it for its medium.
/// </summary>
internal static class DriftNotes
{
    public static IReadOnlyList<string> Of(Plan plan) =>
    [
        // Where each host stands against the repository, read from its state file ("3 commits behind").
        .. plan.Hosts.Where(h => h.Applied is not null).Select(h => h.Applied!.Describe(h.Host)),
        // An apply whose controller lost the connection reported "unknown"; the host's own record says how it ended.
        .. plan.Hosts.Where(h => h.LastApply?.UnattendedNote is not null).Select(h => $"{h.Host}: {h.LastApply!.UnattendedNote}"),
        // A lock held while drift read the host: an apply running, or one whose controller died (stale, with its fix).
        .. plan.Hosts.Where(h => h.HeldLock is not null)
            .Select(h => $"{h.Host}: {HeldLockText.Describe(h.Host, h.HeldLock!, Core.Engine.ReconcileOptions.DefaultLockTtl)}"),
    ];
}
