using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Resources.Dovecot;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.Sysctl;

namespace Reconciler.Specs;

/// <summary>
/// Finds two declarations that manage the same thing on one host (they would fight on every apply), reporting each
/// pair once with every host it affects.
/// </summary>
internal sealed class DuplicateTracker
{
    private readonly Dictionary<(string Host, string Identity), Resource> _first = new();
    private readonly Dictionary<(SourceLocation First, SourceLocation Second), (Resource Second, List<HostSpec> Hosts)> _conflicts = new();

    public void Add(HostSpec host, Resource resource)
    {
        var key = (host.Name, Identity(resource));
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

    /// <summary>
    /// A sysctl may be written dotted or as a path; both spellings set the same /proc/sys file. A dovecot file is a file:
    /// declared under both files: and dovecot:, the two would rewrite it in turn.
    /// </summary>
    private static string Identity(Resource resource) => resource switch
    {
        SysctlResource sysctl => $"{SysctlResource.KindName}[{sysctl.ProcPath}]",
        DovecotFileResource dovecot => $"{FileResource.KindName}[{dovecot.Path}]",
        _ => resource.Address.ToString(),
    };
}
