using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Monitoring;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.Health;

/// <summary>
/// Health rules: one read for the host whatever rules it has (<see cref="HealthFactsParser"/>), judged by
/// <see cref="HealthJudge"/>. A monitored kind: the engine never diffs or applies it (the diff says so, and an apply
/// script is a bug in the engine, not a change to run).
/// </summary>
public sealed class HealthProvider : ResourceProvider<HealthResource, HealthFacts>, IMonitorProvider
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

    protected override ResourceChange Diff(HealthResource desired, HealthFacts observed) => ResourceChange.NoOp(desired);

    protected override string ApplyScript(HealthResource desired, HealthFacts observed, ResourceChange change) =>
        throw new InvalidOperationException($"{desired.Address} is a health rule: it is judged by a drift run, never applied");

    public HostMonitoring Judge(IReadOnlyList<Resource> resources, IReadOnlyList<object> observed) =>
        resources.Count == 0 ? HostMonitoring.Empty : HealthJudge.Judge(resources.Cast<HealthResource>().ToList(), (HealthFacts)observed[0]);
}
