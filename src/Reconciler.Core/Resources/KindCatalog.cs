using Reconciler.Core.Engine;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources;

/// <summary>
/// A set of resource kinds and everything derived from it: apply order, the kind of a resource, identities, the
/// providers the engine runs with. The build's catalog is <see cref="ResourceKinds.Default"/>; the spec reader, the
/// schema generator and the engine take a catalog, so a kind added to one needs no edit anywhere else.
/// </summary>
public sealed class KindCatalog
{
    private readonly Dictionary<Type, IResourceKind> _byType;

    /// <exception cref="InvalidOperationException">Two kinds declare one resource type, or the kinds' apply order has a loop.</exception>
    public KindCatalog(IEnumerable<IResourceKind> kinds)
    {
        All = kinds.ToList();
        InApplyOrder = KindOrder.Sort(All);
        _byType = new Dictionary<Type, IResourceKind>();
        foreach (var kind in All)
        {
            foreach (var type in kind.ResourceTypes)
            {
                if (!_byType.TryAdd(type, kind))
                {
                    throw new InvalidOperationException($"{type.Name} is declared by both {_byType[type].GetType().Name} and {kind.GetType().Name}");
                }
            }
        }
    }

    /// <summary>The kinds, in the order the schema lists their sections.</summary>
    public IReadOnlyList<IResourceKind> All { get; }

    /// <summary>The kinds in apply order (within one file): each after the kinds it names, ties in catalog order.</summary>
    public IReadOnlyList<IResourceKind> InApplyOrder { get; }

    /// <summary>This catalog and <paramref name="more"/> kinds after it.</summary>
    public KindCatalog With(params IResourceKind[] more) => new(All.Concat(more));

    /// <summary>The providers of the kinds, each with its kind's risk and guard: what the engine runs with.</summary>
    public ProviderRegistry Registry() =>
        new(All.SelectMany(kind => kind.CreateProviders().Select(provider => (provider, kind.Risk, kind.Guard))));

    /// <summary>The kind that declares <paramref name="resource"/>'s type.</summary>
    public IResourceKind Of(Resource resource) =>
        _byType.TryGetValue(resource.GetType(), out var kind)
            ? kind
            : throw new InvalidOperationException($"no resource kind declares {resource.GetType().Name}");

    /// <summary>What makes <paramref name="resource"/> the same thing as another on one host (see <see cref="IResourceKind.Identity"/>).</summary>
    public string IdentityOf(Resource resource) => Of(resource).Identity(resource);
}
