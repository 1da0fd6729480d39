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

    protected abstract string ApplyScript(TResource desired, TObserved observed, ResourceChange change);

    string IResourceProvider.ReadScript(IReadOnlyList<Resource> resources) => ReadScript(resources.Cast<TResource>().ToList());

    IReadOnlyList<object> IResourceProvider.ParseFacts(IReadOnlyList<Resource> resources, IReadOnlyList<string> lines) =>
        ParseFacts(resources.Cast<TResource>().ToList(), lines);

    ResourceChange IResourceProvider.Diff(Resource desired, object observed) => Diff((TResource)desired, (TObserved)observed);

    string IResourceProvider.ApplyScript(Resource desired, object observed, ResourceChange change) =>
        ApplyScript((TResource)desired, (TObserved)observed, change);

    /// <summary>Fact lines are tab-separated records whose second field is the resource's index.</summary>
    protected static ILookup<int, string[]> ByIndex(IReadOnlyList<string> lines) =>
        lines.Select(l => l.Split('\t'))
            .Where(f => f.Length >= 2 && int.TryParse(f[1], out _))
            .ToLookup(f => int.Parse(f[1]));
}
