using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Specs;

/// <summary>
/// The desired state, or null when any diagnostic is an error; every diagnostic found either way; and the values the
/// schemas mark <c>x-sensitive</c>, found even in files that failed validation, so nothing printed about them leaks one.
/// </summary>
public sealed record SpecLoadResult(DesiredState? State, IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<string>? SensitiveValues = null)
{
    public IReadOnlyList<string> Secrets => SensitiveValues ?? [];

    /// <summary>This tree's inventory when it was valid: a plan of a later change trusts it as the reviewed one.</summary>
    public ReviewedInventory? Inventory { get; init; }

    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}
