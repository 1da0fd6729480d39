using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Monitoring;

namespace Reconciler.Core.Resources.MailGraphs;

/// <summary>
/// Exports a host's Mailgraph RRDs in a drift run's one read (<see cref="MailGraphFacts"/>) and hands them to the
/// host's monitoring; a directory the host cannot export is this kind's error line, and the host is still planned.
/// Never diffed against anything nor applied: Mailgraph itself is declared with the packages, files and services kinds.
/// </summary>
public sealed class MailGraphsProvider : MonitorProvider<MailGraphResource, MailGraphObserved>
{
    public override string Kind => MailGraphResource.KindName;

    protected override string ReadScript(IReadOnlyList<MailGraphResource> resources) => MailGraphFacts.ReadScript(resources);

    protected override IReadOnlyList<MailGraphObserved> ParseFacts(IReadOnlyList<MailGraphResource> resources, FactAnswers answers) =>
        MailGraphFacts.Parse(Kind, resources, answers[Kind]);

    protected override HostMonitoring Judge(IReadOnlyList<MailGraphResource> resources, IReadOnlyList<MailGraphObserved> observed) => new()
    {
        Mail = observed.Select(o => o.Traffic).FirstOrDefault(t => t is not null),
        Errors = observed.Where(o => o.Problem is not null).Select(o => $"{Kind}: {o.Problem}").ToList(),
    };
}
