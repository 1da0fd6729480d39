using Reconciler.Core.Plans;

namespace Reconciler.Core.Engine;

/// <summary>
/// Per-run choices for apply. <see cref="LockTimeout"/>: how long to wait for another run's lock on a host (zero
/// fails at once). <see cref="Approved"/>: a saved plan; each host is applied only if every resource's live state
/// still has the fingerprint the plan recorded, and hosts not in it are not touched.
/// </summary>
public sealed record ApplySettings(TimeSpan? ConfirmTimeout = null, TimeSpan LockTimeout = default, Plan? Approved = null);
