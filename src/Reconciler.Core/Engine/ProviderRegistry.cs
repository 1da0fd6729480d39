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

    public IResourceProvider For(Resource resource) =>
        _byType.TryGetValue(resource.GetType(), out var provider)
            ? provider
            : throw new InvalidOperationException($"no provider registered for {resource.GetType().Name}");
}
