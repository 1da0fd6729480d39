using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Monitoring;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.MailGraphs;

/// <summary>
/// Exports a host's Mailgraph RRDs in a drift run's one read (<see cref="MailGraphFacts"/>) and hands them to the
/// host's monitoring; a directory the host cannot export is this kind's error line, and the host is still planned.
/// Never diffed against anything nor applied: Mailgraph itself is declared with the packages, files and services kinds.
/// </summary>
public sealed class MailGraphsProvider : ResourceProvider<MailGraphResource, MailGraphObserved>, IMonitorProvider
{
    public override string Kind => MailGraphResource.KindName;

    protected override string ReadScript(IReadOnlyList<MailGraphResource> resources) => MailGraphFacts.ReadScript(resources);

    protected override IReadOnlyList<MailGraphObserved> ParseFacts(IReadOnlyList<MailGraphResource> resources, FactAnswers answers) =>
        MailGraphFacts.Parse(Kind, resources, answers[Kind]);

    /// <summary>A monitored kind has nothing to change: the engine never plans it, and this says so if asked.</summary>
    protected override ResourceChange Diff(MailGraphResource desired, MailGraphObserved observed) => ResourceChange.NoOp(desired);

    protected override string ApplyScript(MailGraphResource desired, MailGraphObserved observed, ResourceChange change) =>
        throw new InvalidOperationException($"{desired.Address} is watched by drift and never applied");

    public HostMonitoring Judge(IReadOnlyList<Resource> resources, IReadOnlyList<object> observed)
    {
        var read = observed.Cast<MailGraphObserved>().ToList();
        return new HostMonitoring
        {
            Mail = read.Select(o => o.Traffic).FirstOrDefault(t => t is not null),
            Errors = read.Where(o => o.Problem is not null).Select(o => $"{Kind}: {o.Problem}").ToList(),
        };
    }
}
