using Reconciler.Core.Tests.Architecture;

namespace Reconciler.Cli.Tests.Architecture;

/// <summary>
/// Views render plans, never kinds: what a change means for a view (sensitive, destructive, risky) is on the change, so
/// a new kind needs no view edit.
/// </summary>
public sealed class ViewArchitectureTests
{
    [Fact]
    public void Views_reference_no_kind()
    {
        var toKinds = TypeReferences.Of(typeof(App).Assembly)
            .Where(p => p.From.Namespace is { } from && (from == "Reconciler.Cli.Views" || from.StartsWith("Reconciler.Cli.Views.", StringComparison.Ordinal)))
            .Where(p => p.To.Namespace?.StartsWith("Reconciler.Core.Resources.", StringComparison.Ordinal) == true)
            .Select(p => $"{p.From.FullName} uses {p.To.FullName}")
            .Distinct()
            .ToList();

        Assert.True(toKinds.Count == 0, "the views use kinds:\n" + string.Join("\n", toKinds));
    }
}
