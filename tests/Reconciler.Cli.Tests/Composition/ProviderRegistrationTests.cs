using System.Runtime.CompilerServices;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Resources.Dovecot;
using Reconciler.Core.Resources.Firewall;

namespace Reconciler.Cli.Tests.Composition;

/// <summary>
/// The composition root (<see cref="App.Providers"/>, the registry the CLI runs with) has a provider for every concrete
/// resource type the core declares, so a kind whose provider was not registered fails here rather than at run time, on
/// the first host that declares it ("no provider registered for …").
/// </summary>
public sealed class ProviderRegistrationTests
{
    /// <summary>
    /// Declared, never planned: a host's firewall sections are joined into its sets and chains before the engine sees them
    /// (<see cref="FirewallComposer"/>); <see cref="A_firewall_section_reaches_the_engine_only_as_types_with_providers"/> checks that.
    /// </summary>
    private static readonly Type[] ComposedBeforePlanning = [typeof(FirewallSection)];

    private static IReadOnlyList<Type> ConcreteResourceTypes() =>
        typeof(Resource).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Resource)) && !t.IsAbstract).OrderBy(t => t.Name).ToList();

    /// <summary>Asks the registry itself (<see cref="ProviderRegistry.For"/>, as the engine does), not a copy of its lookup.</summary>
    private static bool HasProvider(ProviderRegistry registry, Type resourceType)
    {
        // The lookup goes by the resource's type only, so an instance with no field set is enough to ask with.
        var resource = (Resource)RuntimeHelpers.GetUninitializedObject(resourceType);
        try
        {
            registry.For(resource);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static IReadOnlyList<string> TypesWithoutProvider(ProviderRegistry registry) =>
        ConcreteResourceTypes().Except(ComposedBeforePlanning).Where(t => !HasProvider(registry, t)).Select(t => t.Name).ToList();

    [Fact]
    public void Every_concrete_resource_type_has_a_provider_in_the_composition_root()
    {
        Assert.Empty(TypesWithoutProvider(App.Providers()));
    }

    [Fact]
    public void The_check_names_a_resource_type_whose_provider_is_missing()
    {
        // Given the real registry without the Dovecot provider (the one provider for its file and probe resources)
        var withoutDovecot = new ProviderRegistry(App.Providers().Providers.Where(p => p is not DovecotProvider));

        // Then the check fails, naming exactly those types
        Assert.Equal([nameof(DovecotFileResource), nameof(DovecotProbeResource)], TypesWithoutProvider(withoutDovecot));
    }

    [Fact]
    public void The_check_sees_every_kind_of_the_core()
    {
        // Guards the reflection: types from every kind's folder are found, including those a base-type provider serves.
        var names = ConcreteResourceTypes().Select(t => t.Name).ToList();

        Assert.Superset(
            new HashSet<string>
            {
                "SysctlResource", "FileResource", "PermissionsResource", "ConfigLineResource", "BlockSetResource", "FirewallChainResource",
                "FirewallSection", "ArpSettingsResource", "LoopbackVipResource", "MariaDbDatabaseResource", "MariaDbRowsResource",
                "PostfixMainResource", "DovecotProbeResource",
            },
            names.ToHashSet());
    }

    [Fact]
    public void A_firewall_section_reaches_the_engine_only_as_types_with_providers()
    {
        var at = new SourceLocation("fw.yaml", 3, 1);
        var section = new FirewallSection(
            [new BlockSet("blocklist", [BlockEntry.Parse("192.0.2.1", out _)!, BlockEntry.Parse("2001:db8::/32", out _)!], RuleAction.Drop, at)],
            [new FlagRule("syn-fin", ["SYN", "FIN"], ["SYN", "FIN"], RuleAction.Drop, at)],
            at);

        var composed = FirewallComposer.Compose([section]);

        Assert.NotEmpty(composed);
        Assert.DoesNotContain(composed, r => r is FirewallSection);
        Assert.All(composed, r => Assert.True(HasProvider(App.Providers(), r.GetType()), $"no provider for {r.GetType().Name}"));
    }
}
