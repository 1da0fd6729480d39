using Reconciler.Core.Plans;

namespace Reconciler.Core.Engine;

/// <summary>
/// Per-run choices for apply. <see cref="LockTimeout"/>: how long to wait for another run's lock on a host (zero
/// fails at once). <see cref="Approved"/>: a saved plan; each host is applied only if every resource's live state
/// still has the fingerprint the plan recorded, and hosts not in it are not touched.
/// </summary>
public sealed record ApplySettings(TimeSpan? ConfirmTimeout = null, TimeSpan LockTimeout = default, Plan? Approved = null)
{
    /// <summary>
    /// Set when the user interrupts (Ctrl-C, SIGTERM): no host starts anything new. A host not yet contacted is left
    /// alone; one whose apply has not started releases its lock and applies nothing; one already applying finishes,
    /// and its verifying read still runs. Cancelling the run's own token instead abandons every host where it stands.
    /// </summary>
    public CancellationToken Interrupt { get; init; }
}
