using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Monitoring;

namespace Reconciler.Core.Resources.Health;

/// <summary>
/// Health rules: one read for the host whatever rules it has (<see cref="HealthFactsParser"/>), judged by
/// <see cref="HealthJudge"/>. A monitored kind (<see cref="MonitorProvider{TResource, TObserved}"/>): never diffed or applied.
/// </summary>
public sealed class HealthProvider : MonitorProvider<HealthResource, HealthFacts>
{
    public override string Kind => HealthResource.KindName;

    protected override string ReadScript(IReadOnlyList<HealthResource> resources) =>
        resources.Count == 0 ? "" : HealthFactsParser.ReadScript;

    /// <summary>The one read answers for every rule set of the host: each gets the same facts.</summary>
    protected override IReadOnlyList<HealthFacts> ParseFacts(IReadOnlyList<HealthResource> resources, FactAnswers answers)
    {
        if (resources.Count == 0) return [];
        var facts = HealthFactsParser.Parse(answers[Kind]);
        return resources.Select(_ => facts).ToList();
    }

    protected override HostMonitoring Judge(IReadOnlyList<HealthResource> resources, IReadOnlyList<HealthFacts> observed) =>
        resources.Count == 0 ? HostMonitoring.Empty : HealthJudge.Judge(resources, observed[0]);
}
