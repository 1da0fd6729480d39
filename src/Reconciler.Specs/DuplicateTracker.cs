using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Resources;

namespace Reconciler.Specs;

/// <summary>
/// Finds two declarations that manage the same thing on one host (they would fight on every apply), reporting each
/// pair once with every host it affects. What counts as the same thing is the kind's (<see cref="IResourceKind.Identity"/>).
/// </summary>
internal sealed class DuplicateTracker(KindCatalog kinds)
{
    private readonly Dictionary<(string Host, string Identity), Resource> _first = new();
    private readonly Dictionary<(SourceLocation First, SourceLocation Second), (Resource Second, List<HostSpec> Hosts)> _conflicts = new();

    public void Add(HostSpec host, Resource resource)
    {
        var key = (host.Name, kinds.IdentityOf(resource));
        if (!_first.TryGetValue(key, out var first))
        {
            _first.Add(key, resource);
            return;
        }

        var pair = (first.Source, resource.Source);
        if (!_conflicts.TryGetValue(pair, out var conflict))
        {
            conflict = (resource, []);
            _conflicts.Add(pair, conflict);
        }

        conflict.Hosts.Add(host);
    }

    public IEnumerable<Diagnostic> Diagnostics() =>
        _conflicts.Select(c => Diagnostic.Error(
            DiagnosticCodes.DuplicateResource,
            $"{c.Value.Second.Address} is already declared at {c.Key.First} (both apply to {DesiredStateAssembler.HostList(c.Value.Hosts)})",
            c.Key.Second));
}
