using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Engine;

/// <summary>
/// The providers this build plans and applies with, each with what its kind declares for every change: the risk, and
/// the state commit-confirm saves (the composition root registers the kinds' providers through <c>KindCatalog.Registry</c>).
/// </summary>
public sealed class ProviderRegistry
{
    private readonly Dictionary<Type, IResourceProvider> _byType;
    private readonly Dictionary<IResourceProvider, ChangeEffects> _risks;
    private readonly Dictionary<IResourceProvider, GuardedState> _guards;

    /// <summary>Providers whose changes risk nothing beyond what their diffs say and are not guarded (tests, and plain kinds).</summary>
    public ProviderRegistry(IEnumerable<IResourceProvider> providers)
        : this(providers.Select(p => (p, ChangeEffects.None, (GuardedState?)null)))
    {
    }

    public ProviderRegistry(IEnumerable<(IResourceProvider Provider, ChangeEffects Risk, GuardedState? Guard)> providers)
    {
        var list = providers.ToList();
        Providers = list.Select(p => p.Provider).ToList();
        _byType = Providers.ToDictionary(p => p.ResourceType);
        _risks = new(ReferenceEqualityComparer.Instance);
        _guards = new(ReferenceEqualityComparer.Instance);
        foreach (var (provider, risk, guard) in list)
        {
            _risks.Add(provider, risk);
            if (guard is not null)
            {
                _guards.Add(provider, guard);
            }
        }
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

    /// <summary>What commit-confirm saves before <paramref name="provider"/>'s changes run, or null when its kind is not guarded.</summary>
    public GuardedState? GuardOf(IResourceProvider provider) => _guards.GetValueOrDefault(provider);

    /// <summary>
    /// <paramref name="provider"/>'s diff of <paramref name="desired"/>, with its kind's risk added when the change
    /// touches the host (the warnings before merge read effects, never kind names). <paramref name="key"/> is the run's
    /// plan key, for kinds that name live things by keyed digests.
    /// </summary>
    public ResourceChange Diff(IResourceProvider provider, Resource desired, object observed, PlanKey? key = null)
    {
        var change = key is null ? provider.Diff(desired, observed) : provider.Diff(desired, observed, key);
        return change.Action.ChangesHost() && _risks.GetValueOrDefault(provider) is var risk and not ChangeEffects.None
            ? change with { Effects = change.Effects | risk }
            : change;
    }
}
