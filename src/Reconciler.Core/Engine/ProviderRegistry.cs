using Reconciler.Core.Model;

namespace Reconciler.Core.Engine;

/// <summary>The resource kinds this build knows, registered explicitly by the composition root.</summary>
public sealed class ProviderRegistry
{
    private readonly Dictionary<Type, IResourceProvider> _byType;

    public ProviderRegistry(IEnumerable<IResourceProvider> providers)
    {
        Providers = providers.ToList();
        _byType = Providers.ToDictionary(p => p.ResourceType);
    }

    public IReadOnlyList<IResourceProvider> Providers { get; }

    /// <summary>The provider registered for the resource's type or, failing that, its nearest base type (one provider may
    /// handle several kinds that share state, e.g. postfix's main.cf and master.cf).</summary>
    public IResourceProvider For(Resource resource)
    {
        for (var type = resource.GetType(); type is not null; type = type.BaseType)
        {
            if (_byType.TryGetValue(type, out var provider))
            {
                return provider;
            }
        }

        throw new InvalidOperationException($"no provider registered for {resource.GetType().Name}");
    }
}
