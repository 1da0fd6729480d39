using System.Text.Json.Serialization;

namespace Reconciler.Core.Resources.Packages;

/// <summary>
/// What one read learnt of a host's packages, shared by every package resource on it: dpkg's entries for the named
/// packages, the versions the apt lists offer, apt's simulation of the declared state (its actions, or the error it
/// refused with), and, when a refresh is declared, how old the lists are (null: the host has none).
/// The age is a clock reading, older at every read, so it is no part of a fingerprint: the decision it leads to
/// (<see cref="PackageObserved.ListsRefreshDue"/>) is, or no plan would ever match apply's re-plan.
/// </summary>
public sealed record AptHostFacts(
    IReadOnlyDictionary<string, DpkgEntry> Dpkg,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Available,
    IReadOnlyList<AptAction> Simulated,
    string? SimulationError,
    [property: JsonIgnore] TimeSpan? ListsAge)
{
    /// <summary>
    /// The packages the spec names on this host, with their declared state: apt's actions on the others, and those
    /// against a named package's state (a present one removed as a dependent), are shown as what apt does beyond them.
    /// </summary>
    public IReadOnlyDictionary<string, PackageState> Named { get; init; } = new Dictionary<string, PackageState>(StringComparer.Ordinal);

    /// <summary>Whether the spec's own diff of a named package already shows <paramref name="action"/>.</summary>
    public bool Declares(AptAction action) =>
        Named.TryGetValue(action.Package, out var state) && action.Installs == (state == PackageState.Present);
}
