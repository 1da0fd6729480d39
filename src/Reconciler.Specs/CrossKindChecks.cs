using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Resources;

namespace Reconciler.Specs;

/// <summary>
/// Runs every kind's check across one host's resources (<see cref="IResourceKind.Check"/>) and reports each problem once,
/// with every host it affects: one declaration shared by many hosts is one mistake.
/// </summary>
internal sealed class CrossKindChecks(KindCatalog kinds)
{
    private readonly Dictionary<Diagnostic, List<HostSpec>> _problems = new();

    public void Check(HostSpec host, IReadOnlyList<Resource> resources)
    {
        foreach (var problem in kinds.All.SelectMany(kind => kind.Check(resources)))
        {
            var hosts = _problems.TryGetValue(problem, out var list) ? list : _problems[problem] = [];
            if (!hosts.Contains(host))
            {
                hosts.Add(host);
            }
        }
    }

    public IEnumerable<Diagnostic> Diagnostics() =>
        _problems.Select(p => p.Key with { Message = $"{p.Key.Message} (both apply to {DesiredStateAssembler.HostList(p.Value)})" });
}
