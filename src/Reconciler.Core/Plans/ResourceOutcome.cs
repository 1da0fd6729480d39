using Reconciler.Core.Model;

namespace Reconciler.Core.Plans;

/// <summary>What happened when apply ran one resource's change.</summary>
public sealed record ResourceOutcome(ResourceAddress Address, ChangeAction Action, bool Succeeded, string? Error = null);
