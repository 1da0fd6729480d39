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

    protected abstract string ReadScript(IReadOnlyList<TResource> resources);

    protected abstract IReadOnlyList<TObserved> ParseFacts(IReadOnlyList<TResource> resources, IReadOnlyList<string> lines);

    protected abstract ResourceChange Diff(TResource desired, TObserved observed);

    /// <summary>The diff with the run's plan key; override where a plan shows keyed digests of live values.</summary>
    protected virtual ResourceChange Diff(TResource desired, TObserved observed, PlanKey key) => Diff(desired, observed);

    protected abstract string ApplyScript(TResource desired, TObserved observed, ResourceChange change);

    string IResourceProvider.ReadScript(IReadOnlyList<Resource> resources) => ReadScript(resources.Cast<TResource>().ToList());

    IReadOnlyList<object> IResourceProvider.ParseFacts(IReadOnlyList<Resource> resources, IReadOnlyList<string> lines)
    {
        var observed = HostAnswer(() => ParseFacts(resources.Cast<TResource>().ToList(), lines));
        return observed.Count == resources.Count
            ? observed
            : throw new MalformedFactsException($"{Kind} facts: {observed.Count} answer(s) for {resources.Count} resource(s)");
    }

    ResourceChange IResourceProvider.Diff(Resource desired, object observed) =>
        HostAnswer(() => Diff((TResource)desired, (TObserved)observed));

    ResourceChange IResourceProvider.Diff(Resource desired, object observed, PlanKey key) =>
        HostAnswer(() => Diff((TResource)desired, (TObserved)observed, key));

    string IResourceProvider.ApplyScript(Resource desired, object observed, ResourceChange change) =>
        ApplyScript((TResource)desired, (TObserved)observed, change);

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
