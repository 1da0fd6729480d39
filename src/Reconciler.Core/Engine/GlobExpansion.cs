using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Engine;

/// <summary>
/// How a resource declared with a glob path is planned: each match as its own change of the kind (its literal resource,
/// diffed like a path declared as it is), noted "matched by PATTERN (declared at FILE:LINE:COL)"; no match at all as one
/// skip; more matches than the cap as one blocked change. A match a literal declaration on the host also names (same
/// address), or an earlier glob already matched, is left to that declaration: the more specific, or the first, wins.
/// </summary>
internal static class GlobExpansion
{
    /// <summary>What apply says of a match the saved plan did not have.</summary>
    public const string MatchedAfterPlan = "matched after the plan; not applied; a new plan picks it up";

    /// <summary>What apply says of a match the saved plan had that no longer matches.</summary>
    public const string NoLongerMatches = "matched when planned, no longer matches; nothing applied";

    public static IReadOnlyList<PlannedResource> Plan(
        IReadOnlyList<Resource> resources, IReadOnlyDictionary<Resource, object> observed, ProviderRegistry providers, PlanKey key)
    {
        var claimed = resources.Where(r => observed[r] is not GlobMatches).Select(r => r.Address).ToHashSet();
        var planned = new List<PlannedResource>();
        foreach (var r in resources)
        {
            var provider = providers.For(r);
            if (observed[r] is not GlobMatches glob)
            {
                planned.Add(Diffed(r, observed[r], provider, providers, key));
                continue;
            }

            var declared = $"matched by {glob.Pattern} (declared at {r.Source})";
            // What the glob's own line stands on: the matches it found (a saved plan is stale when they differ).
            var found = LiveFingerprint.Of(new GlobFound(glob.Pattern, glob.Refused, glob.Matches.Select(m => m.Resource.Address.ToString()).ToList()), key);
            if (glob.Refused is { } refused)
            {
                planned.Add(new PlannedResource(r, provider, glob, ResourceChange.Blocked(r, $"{glob.Pattern}: {refused}") with { MatchedBy = glob.Pattern, Fingerprint = found }));
                continue;
            }

            // A name with a control character is shown escaped, so "a<newline>b" and a real "a\\nb" would show as one
            // address: the glob is refused then (no two changes share an address), and a match is claimed as shown.
            var shown = glob.Matches.Select(m => Shown(m.Resource.Address)).ToList();
            if (shown.GroupBy(a => a).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                planned.Add(new PlannedResource(r, provider, glob, ResourceChange.Blocked(r,
                    $"{glob.Pattern}: two matching paths show as {twice.Key.Name} (one holds a control character); rename one") with { MatchedBy = glob.Pattern, Fingerprint = found }));
                continue;
            }

            var matches = glob.Matches.Where((m, i) => claimed.Add(shown[i])).ToList();
            if (matches.Count == 0)
            {
                var none = glob.Matches.Count == 0 ? $"no path matches {glob.Pattern}" : $"every path matching {glob.Pattern} is declared elsewhere on this host";
                planned.Add(new PlannedResource(r, provider, glob, ResourceChange.Skipped(r, none) with { MatchedBy = glob.Pattern, Fingerprint = found }));
                continue;
            }

            foreach (var match in matches)
            {
                var diffed = Diffed(match.Resource, match.Observed, provider, providers, key);
                var change = diffed.Change with { Note = diffed.Change.Note is { } note ? $"{declared}; {note}" : declared, MatchedBy = glob.Pattern };
                if (PathRules.Problem(match.Resource.Address.Name) is not null)
                {
                    // A name with a control character: the plan shows it escaped, and nothing is done to it.
                    change = ResourceChange.Blocked(match.Resource, $"{declared}; its name holds a control character; it is not managed")
                        with { Address = Shown(match.Resource.Address), MatchedBy = glob.Pattern, Fingerprint = change.Fingerprint };
                }

                planned.Add(diffed with { Change = change });
            }
        }

        return planned;
    }

    /// <summary>The address a match is planned under: its name escaped when it holds a control character.</summary>
    private static ResourceAddress Shown(ResourceAddress address) =>
        PathRules.Problem(address.Name) is null ? address : address with { Name = PathRules.Printable(address.Name) };

    private sealed record GlobFound(string Pattern, string? Refused, IReadOnlyList<string> Matches);

    private static PlannedResource Diffed(Resource r, object observed, IResourceProvider provider, ProviderRegistry providers, PlanKey key)
    {
        var change = providers.Diff(provider, r, observed, key) with { Fingerprint = LiveFingerprint.Of(observed, key) };
        return new PlannedResource(r, provider, observed, change) { Guard = providers.GuardOf(provider) };
    }

    /// <summary>
    /// A host's read against its saved plan (<c>apply --plan</c>): a glob's match the reviewed plan did not have is not
    /// applied (skipped, saying so), and one it had that no longer matches is shown skipped. Neither makes the host stale:
    /// the reviewed changes still hold their fingerprints, and nothing unreviewed is touched.
    /// </summary>
    public static IReadOnlyList<PlannedResource> AgainstPlan(HostPlan approved, IReadOnlyList<PlannedResource> planned)
    {
        var reviewed = approved.Changes.Select(c => c.Address).ToHashSet();
        return planned.Select(p => p.Change.MatchedBy is not null && !reviewed.Contains(p.Change.Address) && p.Change.Action != ChangeAction.Skip
            ? p with { Change = p.Change with { Action = ChangeAction.Skip, Attributes = [], Note = $"{p.Change.Note}; {MatchedAfterPlan}" } }
            : p).ToList();
    }

    /// <summary>The plan shown for apply: what <see cref="AgainstPlan"/> left, and each reviewed match that is gone, skipped.</summary>
    public static HostPlan Shown(HostPlan approved, HostPlan now)
    {
        var current = now.Changes.Select(c => c.Address).ToHashSet();
        var gone = approved.Changes
            .Where(a => a.MatchedBy is not null && !current.Contains(a.Address) && a.Action.ChangesHost())
            .Select(a => new ResourceChange(a.Address, ChangeAction.Skip, [], a.Source, NoLongerMatches) { MatchedBy = a.MatchedBy });
        return now with { Changes = [.. now.Changes, .. gone] };
    }
}
