namespace Reconciler.Core.Resources.Packages;

/// <summary>
/// One package's facts (<paramref name="Entry"/>: null when dpkg does not know it; <paramref name="Available"/>: the
/// versions in the apt lists) and the host's; <paramref name="ShowsApt"/> marks the one resource whose plan shows
/// what apt does beyond the named packages, <paramref name="ShowsRefresh"/> the one that shows the lists' refresh.
/// </summary>
public sealed record PackageObserved(DpkgEntry? Entry, IReadOnlyList<string> Available, AptHostFacts Host, bool ShowsApt, bool ShowsRefresh);
