using Reconciler.Core.Facts;

namespace Reconciler.Core.Resources.Sysctl;

/// <summary>
/// A kernel parameter's facts (<see cref="SysctlFacts"/>: live, and what boot will set), and whether the reconciler's own
/// persist file for it exists (an update then rewrites it rather than creating it).
/// </summary>
public sealed record SysctlObserved(string? Live, string? Persisted, string? PersistedIn, bool ManagedFileExists)
    : SysctlFacts(Live, Persisted, PersistedIn);
