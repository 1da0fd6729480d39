using Reconciler.Core.Model;
using Reconciler.Core.Monitoring;

namespace Reconciler.Core.Engine;

/// <summary>
/// The provider of a monitored kind (<see cref="Resources.IResourceKind.Monitors"/>): its resources are rules and
/// sources to watch, never applied. Its <see cref="IResourceProvider.Queries"/> join the host's one fact round trip
/// only in a run that monitors (drift); what they answer is judged here, not diffed. A failure to read or parse is
/// this kind's line in <see cref="HostMonitoring.Errors"/>, never the host's error.
/// </summary>
public interface IMonitorProvider
{
    /// <summary>Judges one host's resources of this kind from their parsed facts (same order as <paramref name="resources"/>).</summary>
    HostMonitoring Judge(IReadOnlyList<Resource> resources, IReadOnlyList<object> observed);
}
