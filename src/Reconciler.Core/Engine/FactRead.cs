using Reconciler.Core.Plans;

namespace Reconciler.Core.Engine;

/// <summary>
/// One fact round trip's answer: each resource with its observation and diff, the host's state file, and — when the
/// read also asked for the apply lock — the lock's answer. A lock not acquired means no facts were read.
/// </summary>
internal sealed record FactRead(IReadOnlyList<PlannedResource> Planned, AppliedState? Applied, LockAnswer? Lock)
{
    public LastApply? LastApply { get; init; }

    /// <summary>The apply lock another run holds, as a read that takes no lock found it; null when none is held.</summary>
    public HeldLock? HeldLock { get; init; }

    /// <summary>What the monitored kinds read (health, mail traffic), when the read asked for them.</summary>
    public Monitoring.HostMonitoring? Monitoring { get; init; }
}
