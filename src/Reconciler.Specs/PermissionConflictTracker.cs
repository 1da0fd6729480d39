using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.Permissions;

namespace Reconciler.Specs;

/// <summary>
/// Finds a file whose declared mode has a bit that a permissions resource over it clears: apply would set the bit and
/// clear it again on every run. Reported at the mode, once per pair, with every host it affects.
/// </summary>
internal sealed class PermissionConflictTracker
{
    private readonly Dictionary<(SourceLocation Mode, SourceLocation Permissions), (string Message, List<HostSpec> Hosts)> _conflicts = new();

    public void Check(HostSpec host, IReadOnlyList<(Resource Resource, SourceLocation? ModeLocation)> resources)
    {
        var permissions = resources.Select(r => r.Resource).OfType<PermissionsResource>().ToList();
        if (permissions.Count == 0)
        {
            return;
        }

        foreach (var (resource, modeLocation) in resources)
        {
            if (resource is not FileResource { Mode: { } mode, Ensure: Ensure.Present } file || modeLocation is null)
            {
                continue;
            }

            var bits = Convert.ToInt32(FileResource.NormalizeMode(mode), 8);
            foreach (var p in permissions.Where(p => p.Covers(file.Path) && (bits & p.Mask) != 0))
            {
                var key = (modeLocation, p.Source);
                if (!_conflicts.TryGetValue(key, out var conflict))
                {
                    conflict = ($"mode {FileResource.NormalizeMode(mode)} conflicts with permissions {p.Remove} on {p.Path} declared at {p.Source}", []);
                    _conflicts.Add(key, conflict);
                }

                conflict.Hosts.Add(host);
            }
        }
    }

    public IEnumerable<Diagnostic> Diagnostics() =>
        _conflicts.Select(c => Diagnostic.Error(
            DiagnosticCodes.PermissionConflict,
            $"{c.Value.Message} (both apply to {DesiredStateAssembler.HostList(c.Value.Hosts)})",
            c.Key.Mode));
}
