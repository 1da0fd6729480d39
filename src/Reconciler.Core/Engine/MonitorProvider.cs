using Reconciler.Core.Model;
using Reconciler.Core.Monitoring;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Engine;

/// <summary>
/// The base of a monitored kind's provider (<see cref="IMonitorProvider"/>): it reads and parses like any provider and is
/// judged, typed, instead of diffed. Its diff is always no change and an apply script is a bug in the engine (monitored
/// resources are never planned), so a kind writes neither.
/// </summary>
public abstract class MonitorProvider<TResource, TObserved> : ResourceProvider<TResource, TObserved>, IMonitorProvider
    where TResource : Resource
    where TObserved : class
{
    /// <summary>One host's resources of this kind judged from their parsed facts (same order).</summary>
    protected abstract HostMonitoring Judge(IReadOnlyList<TResource> resources, IReadOnlyList<TObserved> observed);

    public HostMonitoring Judge(IReadOnlyList<Resource> resources, IReadOnlyList<object> observed) =>
        Judge(resources.Cast<TResource>().ToList(), observed.Cast<TObserved>().ToList());

    protected sealed override ResourceChange Diff(TResource desired, TObserved observed) => ResourceChange.NoOp(desired);

    protected sealed override string ApplyScript(TResource desired, TObserved observed, ResourceChange change) =>
        throw new InvalidOperationException($"{desired.Address} belongs to a monitored kind: a drift run judges it, nothing applies it");
}
