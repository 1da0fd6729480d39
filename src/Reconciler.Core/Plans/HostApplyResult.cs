namespace Reconciler.Core.Plans;

/// <summary>
/// The outcome of apply on one host. <paramref name="Verification"/> is the plan re-read after apply:
/// anything still in it means the host did not converge, which apply reports as a failure.
/// </summary>
public sealed record HostApplyResult(
    string Host,
    HostPlan Planned,
    IReadOnlyList<ResourceOutcome> Outcomes,
    HostPlan? Verification,
    string? Error = null,
    GuardOutcome? Guard = null)
{
    /// <summary>Set when this apply took over a stale lock left on the host by a run that never released it.</summary>
    public string? LockTakeover { get; init; }

    /// <summary>
    /// Set (to the reason) when the connection was lost after the apply script was sent: the host may have applied any
    /// or all of the changes. Never reported as "nothing applied"; the host's own record tells on the next read.
    /// </summary>
    public string? Unknown { get; init; }

    /// <summary>Set (to what was left undone) when the user interrupted the run before this host's apply started.</summary>
    public string? Interrupted { get; init; }

    /// <summary>
    /// Set (to why) when the host was read but deliberately not applied: another run holds its lock, or the saved plan no
    /// longer holds for it.
    /// </summary>
    public string? Refused { get; init; }

    /// <summary>Which of the kinds of ending this host's apply had; every host of a run has exactly one.</summary>
    public HostOutcome Outcome =>
        Unknown is not null ? HostOutcome.Unknown
        : Interrupted is not null ? HostOutcome.Interrupted
        : Refused is not null ? HostOutcome.Refused
        : Planned.Error is not null && Outcomes.Count == 0 ? (Planned.HostKeyMismatch ? HostOutcome.HostKeyMismatch : HostOutcome.Unreachable)
        : Succeeded ? HostOutcome.Succeeded
        : HostOutcome.Failed;

    public bool Succeeded =>
        Error is null && Unknown is null && Interrupted is null && Refused is null && !Planned.HasErrors && Outcomes.All(o => o.Succeeded) && Verification is { HasErrors: false } && Unconverged.Count == 0
        && Guard is null or { Confirmed: true };

    /// <summary>
    /// What the verifying read still shows changing: every change, except the next step of a stepwise resource whose step
    /// this apply took (<see cref="ResourceChange.Stepwise"/>). Empty without a verification.
    /// </summary>
    public IReadOnlyList<ResourceChange> Unconverged =>
        Verification?.Changes.Where(c => c.Action.ChangesHost() &&
                                         !(c.Stepwise && Outcomes.Any(o => o.Address == c.Address && o.Succeeded))).ToList() ?? [];
}
