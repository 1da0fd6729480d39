namespace Reconciler.Core.Engine;

/// <summary>
/// What an apply script does besides the changes. <see cref="AfterSuccess"/> runs only if every change succeeded (the
/// commit record); <see cref="Outcome"/> runs in any case at the end (the host's record of how the apply ended);
/// <see cref="AlsoGuarded"/> is saved and restored by commit-confirm with the changed kinds; <see cref="Handover"/>
/// runs <see cref="HandoverDelay"/> after the apply ended, or at once when its output cannot be sent, for a controller
/// that never came back (the lock's release). The run directory lives under <see cref="RunRoot"/>.
/// </summary>
internal sealed record ApplyBookkeeping(
    string RunRoot,
    string? AfterSuccess = null,
    string? Outcome = null,
    string? Handover = null,
    TimeSpan? HandoverDelay = null)
{
    public IReadOnlyList<GuardedState> AlsoGuarded { get; init; } = [];
}
