namespace Reconciler.Core.Plans;

/// <summary>The plan for one host; <paramref name="Error"/> is set when the host could not be read at all.</summary>
public sealed record HostPlan(string Host, IReadOnlyList<ResourceChange> Changes, string? Error = null)
{
    /// <summary>
    /// Set with <see cref="Error"/> when the host was not read because it offered another host key than the inventory
    /// pins (the message names both SHA256 fingerprints): its own outcome, not "unreachable".
    /// </summary>
    public bool HostKeyMismatch { get; init; }

    /// <summary>Digest of the host's desired state this plan was made for (<see cref="Model.DesiredStateDigest"/>).</summary>
    public string? Digest { get; init; }

    /// <summary>What the host's state file says was last applied to it; null when it has none (or was not read).</summary>
    public AppliedState? Applied { get; init; }

    /// <summary>How the host recorded its last apply's end; null when it has no record (or was not read).</summary>
    public LastApply? LastApply { get; init; }

    /// <summary>
    /// Why the host was not contacted (a host a change adds, or one whose connection it changes); its changes are then
    /// its whole desired state as creates, not read from the host, and no saved plan of it is ever applied.
    /// </summary>
    public string? NotContacted { get; init; }

    /// <summary>The apply lock held on the host when a plan or drift read it (an apply running, or one that died); null when none.</summary>
    public HeldLock? HeldLock { get; init; }

    /// <summary>What a monitoring run (drift) read of the host's health and mail traffic; null when not asked or not read.</summary>
    public Monitoring.HostMonitoring? Monitoring { get; init; }

    public bool HasChanges => Changes.Any(c => c.Action.ChangesHost());

    /// <summary>Where the host differs from its desired state: changes apply would make, and resources it cannot make.</summary>
    public IEnumerable<ResourceChange> Differences => Changes.Where(c => c.Action.ChangesHost() || c.Action == ChangeAction.Blocked);

    public bool HasErrors => Error is not null || Changes.Any(c => c.Action == ChangeAction.Blocked);

    public int Count(ChangeAction action) => Changes.Count(c => c.Action == action);
}
