using Reconciler.Core.Model;

namespace Reconciler.Core.Plans;

/// <summary>What happened when apply ran one resource's change.</summary>
public sealed record ResourceOutcome(ResourceAddress Address, ChangeAction Action, bool Succeeded, string? Error = null)
{
    /// <summary>
    /// The change never started because commit-confirm could not be armed first: nothing changed on the host, so
    /// there is nothing to confirm or roll back. The engine decides on this value, never on the error's wording.
    /// </summary>
    public bool GuardNotArmed { get; init; }
}
