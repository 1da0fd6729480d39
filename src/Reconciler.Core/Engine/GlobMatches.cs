using Reconciler.Core.Model;

namespace Reconciler.Core.Engine;

/// <summary>One path a declared glob matched on the host: a literal resource of the kind, and what the host had there.</summary>
public sealed record GlobMatchObserved(Resource Resource, object Observed);

/// <summary>
/// The observed state of a resource declared with a glob path (<see cref="Facts.GlobPaths"/>): its matches, each planned
/// as its own change (<see cref="GlobExpansion"/>), or why it was not expanded (<paramref name="Refused"/>: the cap).
/// </summary>
public sealed record GlobMatches(string Pattern, IReadOnlyList<GlobMatchObserved> Matches, string? Refused = null);
