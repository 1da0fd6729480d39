namespace Reconciler.Core.Resources.Sysctl;

/// <summary>
/// The three layers of a kernel parameter: what the kernel runs with now (<paramref name="Live"/>, null when the
/// kernel has no such parameter) and what boot will set (<paramref name="Persisted"/>, from the last sysctl.d
/// file in boot order that sets it, named by <paramref name="PersistedIn"/>).
/// </summary>
public sealed record SysctlObserved(string? Live, string? Persisted, string? PersistedIn, bool ManagedFileExists)
{
    /// <summary>The /proc/sys entry is not world-readable: its value is compared but never shown.</summary>
    public bool LiveClosed { get; init; }

    /// <summary>The sysctl.d file that persists the value is not world-readable: compared, never shown.</summary>
    public bool PersistedClosed { get; init; }
}
