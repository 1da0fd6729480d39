using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Packages;

/// <summary>
/// One package's facts (<paramref name="Entry"/>: null when dpkg does not know it; <paramref name="Available"/>: the
/// versions in the apt lists) and the host's; <paramref name="ShowsApt"/> marks the one resource whose plan shows
/// what apt does beyond the named packages, <paramref name="ShowsRefresh"/> the one that shows the lists' refresh.
/// </summary>
public sealed record PackageObserved(
    DpkgEntry? Entry, IReadOnlyList<string> Available, [property: JsonIgnore] AptHostFacts Host, bool ShowsApt, bool ShowsRefresh)
{
    /// <summary>
    /// The host's lists are older than a declared max_age (or there are none), so apply runs apt-get update before
    /// apt: what the lists offer now is not what apt will see, and a package they lack is not yet a reason to block.
    /// Fingerprinted on every package of the host (the lists' age is not): each one's diff follows from it.
    /// </summary>
    public bool ListsRefreshDue { get; init; }

    private static readonly ConditionalWeakTable<AptHostFacts, string> Digests = new();

    /// <summary>
    /// The host's apt facts in the package's fingerprint as one digest, made once per host: every package's diff may
    /// depend on them (apt's simulation), and written out whole for each package they made planning quadratic.
    /// </summary>
    public string HostFacts => Digests.GetValue(Host, facts => CanonicalJson.Sha256(CanonicalJson.Serialize(facts)));
}
