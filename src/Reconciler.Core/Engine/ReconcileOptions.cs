namespace Reconciler.Core.Engine;

/// <summary>How hard to push: hosts read in parallel (bounded) and a time limit per host.</summary>
public sealed record ReconcileOptions(int MaxParallelHosts = 8, TimeSpan? HostTimeout = null)
{
    public TimeSpan EffectiveHostTimeout => HostTimeout ?? TimeSpan.FromMinutes(5);
}
