using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Resources.Files;

namespace Reconciler.Core.Resources.Permissions;

/// <summary>
/// A file whose declared mode has a bit that a permissions resource over it clears: apply would set the bit and clear
/// it again on every run. Reported at the mode (the spec reader adds every host it affects).
/// </summary>
internal static class ModeConflicts
{
    public static IEnumerable<Diagnostic> Find(IReadOnlyList<Resource> resources)
    {
        var permissions = resources.OfType<PermissionsResource>().ToList();
        if (permissions.Count == 0)
        {
            yield break;
        }

        foreach (var resource in resources)
        {
            if (resource is not FileResource { Mode: { } mode, Ensure: Ensure.Present, ModeSource: { } modeSource } file)
            {
                continue;
            }

            var bits = Convert.ToInt32(FileResource.NormalizeMode(mode), 8);
            foreach (var p in permissions.Where(p => p.Covers(file.Path) && (bits & p.Mask) != 0))
            {
                yield return Diagnostic.Error(
                    DiagnosticCodes.PermissionConflict,
                    $"mode {FileResource.NormalizeMode(mode)} conflicts with permissions {p.Remove} on {p.Path} declared at {p.Source}",
                    modeSource);
            }
        }
    }
}
