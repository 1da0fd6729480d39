using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Engine;

/// <summary>Typed base: providers work with their own resource and observed-state records.</summary>
public abstract class ResourceProvider<TResource, TObserved> : IResourceProvider
    where TResource : Resource
    where TObserved : class
{
    public abstract string Kind { get; }

    public Type ResourceType => typeof(TResource);

    /// <summary>The kind's own fact query (unit <see cref="Kind"/>) for all these resources; empty when it reads only shared units.</summary>
    protected abstract string ReadScript(IReadOnlyList<TResource> resources);

    /// <summary>Fact units other kinds read too (file facts, sysctl facts), each answered in its own section.</summary>
    protected virtual IReadOnlyList<FactQuery> SharedQueries(IReadOnlyList<TResource> resources) => [];

    /// <summary>Parses the kind's own lines (<c>answers[Kind]</c>) and its shared units' into one observed state per resource.</summary>
    protected abstract IReadOnlyList<TObserved> ParseFacts(IReadOnlyList<TResource> resources, FactAnswers answers);

    protected abstract ResourceChange Diff(TResource desired, TObserved observed);

    /// <summary>The diff with the run's plan key; override where a plan shows keyed digests of live values.</summary>
    protected virtual ResourceChange Diff(TResource desired, TObserved observed, PlanKey key) => Diff(desired, observed);

    protected abstract string ApplyScript(TResource desired, TObserved observed, ResourceChange change);

    /// <summary>How the kind's changes on one host apply together; null (the default) applies them one at a time.</summary>
    protected virtual ChangeGroup? Group(IReadOnlyList<PlannedChange> planned) => null;

    /// <summary>The group, seeing every planned resource on the host (other kinds' too); override where an effect follows other kinds.</summary>
    protected virtual ChangeGroup? Group(IReadOnlyList<PlannedChange> planned, IReadOnlyList<PlannedChange> host) => Group(planned);

    IReadOnlyList<FactQuery> IResourceProvider.Queries(IReadOnlyList<Resource> resources)
    {
        var typed = resources.Cast<TResource>().ToList();
        var globs = this as IGlobPaths<TResource, TObserved>;
        var literal = globs is null ? typed : typed.Where(r => globs.Glob(r) is null).ToList();
        var own = ReadScript(literal);
        IReadOnlyList<FactQuery> queries = own.Length == 0 ? SharedQueries(literal) : [new FactQuery(Kind, own), .. SharedQueries(literal)];
        var patterns = globs is null ? [] : typed.Select(globs.Glob).OfType<GlobRead>().ToList();
        return patterns.Count == 0 ? queries : [.. queries, GlobPaths.Query(GlobUnit, patterns, globs!.GlobLibrary)];
    }

    /// <summary>The unit of the query expanding this kind's glob paths (<see cref="IGlobPaths{TResource, TObserved}"/>).</summary>
    public string GlobUnit => $"{Kind} glob";

    IReadOnlyList<object> IResourceProvider.ParseFacts(IReadOnlyList<Resource> resources, FactAnswers answers)
    {
        var typed = resources.Cast<TResource>().ToList();
        var globs = this as IGlobPaths<TResource, TObserved>;
        var declared = typed.Select(r => globs?.Glob(r)).ToList();
        var literal = typed.Where((_, i) => declared[i] is null).ToList();
        var observed = HostAnswer(() => ParseFacts(literal, answers));
        if (observed.Count != literal.Count)
        {
            throw new MalformedFactsException($"{Kind} facts: {observed.Count} answer(s) for {literal.Count} resource(s)");
        }

        if (globs is null)
        {
            return observed;
        }

        var patterns = typed.Where((_, i) => declared[i] is not null).ToList();
        var expanded = patterns.Count == 0 ? [] : HostAnswer(() => GlobPaths.Parse(GlobUnit, answers[GlobUnit], patterns.Count));
        var next = (Literal: 0, Glob: 0);
        return typed.Select((r, i) =>
        {
            if (declared[i] is not { } glob)
            {
                return observed[next.Literal++];
            }

            var answer = expanded[next.Glob++];
            return (object)new GlobMatches(glob.Pattern, answer.Matches.Select(m =>
            {
                var match = globs.Match(r, m.Path);
                return new GlobMatchObserved(match, HostAnswer(() => globs.ParseMatch(match, m.Records))!);
            }).ToList(), answer.Refused);
        }).ToList();
    }

    ResourceChange IResourceProvider.Diff(Resource desired, object observed) =>
        HostAnswer(() => Diff((TResource)desired, (TObserved)observed));

    ResourceChange IResourceProvider.Diff(Resource desired, object observed, PlanKey key) =>
        HostAnswer(() => Diff((TResource)desired, (TObserved)observed, key));

    string IResourceProvider.ApplyScript(Resource desired, object observed, ResourceChange change) =>
        ApplyScript((TResource)desired, (TObserved)observed, change);

    ChangeGroup? IResourceProvider.Group(IReadOnlyList<PlannedChange> planned) => Group(planned);

    ChangeGroup? IResourceProvider.Group(IReadOnlyList<PlannedChange> planned, IReadOnlyList<PlannedChange> host) => Group(planned, host);

    /// <summary>
    /// Parsing and diffing work on text the host printed, which a hostile or broken host controls: what a parser cannot
    /// make sense of (a bad number, bad base64, a missing field) becomes that host's error, not the end of the run.
    /// </summary>
    private T HostAnswer<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IndexOutOfRangeException or InvalidOperationException
                                       or OverflowException or KeyNotFoundException or InvalidCastException)
        {
            throw new MalformedFactsException($"{Kind} facts do not parse: {e.Message}", e);
        }
    }

    /// <summary>One resource's fact lines by tag; a tag the read prints at most once that comes twice is a malformed answer.</summary>
    protected IReadOnlyDictionary<string, string[]> ByTag(IEnumerable<string[]> facts, int index) => FactRecords.ByTag(Kind, facts, index);

    /// <summary>
    /// Fact lines are tab-separated records whose second field is the resource's index (<see cref="FactRecords"/>);
    /// only the tags in <paramref name="hostWide"/> are read without one. Any other record that is not indexed for one
    /// of <paramref name="count"/> resources makes the answer malformed.
    /// </summary>
    protected ILookup<int, string[]> ByIndex(IEnumerable<string> lines, int count, params string[] hostWide) =>
        FactRecords.ByIndex(Kind, lines, count, hostWide.ToHashSet(StringComparer.Ordinal));
}
