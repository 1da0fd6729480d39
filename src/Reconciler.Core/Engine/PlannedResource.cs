using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Engine;

/// <summary>A resource with what the host had and what the plan decided: the input apply needs.</summary>
internal sealed record PlannedResource(Resource Resource, IResourceProvider Provider, object? Observed, ResourceChange Change)
{
    /// <summary>What commit-confirm saves before its change runs, when its kind is guarded (<see cref="ProviderRegistry.GuardOf"/>).</summary>
    public GuardedState? Guard { get; init; }
}
