using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Specs;

/// <summary>The desired state, or null when any diagnostic is an error; every diagnostic found either way.</summary>
public sealed record SpecLoadResult(DesiredState? State, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}
