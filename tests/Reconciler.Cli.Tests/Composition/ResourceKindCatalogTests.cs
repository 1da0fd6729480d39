using System.Reflection;
using Reconciler.Core.Model;
using Reconciler.Core.Resources;
using Reconciler.Core.Resources.Firewall;

namespace Reconciler.Cli.Tests.Composition;

/// <summary>
/// The catalog (<see cref="ResourceKinds"/>) is the one list of kinds: the composition root registers exactly its
/// providers, every resource type of the core belongs to exactly one kind, and the names a kind declares are the ones its
/// types use. (The schema files are held equal to the catalog by GeneratedSchemaTests in Reconciler.Specs.Tests.)
/// </summary>
public sealed class ResourceKindCatalogTests
{
    private static IReadOnlyList<Type> ConcreteResourceTypes() =>
        typeof(Resource).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Resource)) && !t.IsAbstract).ToList();

    [Fact]
    public void The_composition_root_registers_exactly_the_catalogs_providers()
    {
        var registered = App.Providers().Providers.Select(p => p.GetType()).ToList();

        Assert.Equal(ResourceKinds.All.SelectMany(k => k.CreateProviders()).Select(p => p.GetType()), registered);
    }

    [Fact]
    public void Every_concrete_resource_type_belongs_to_exactly_one_kind()
    {
        var owners = ConcreteResourceTypes().ToDictionary(
            t => t.Name, t => ResourceKinds.All.Where(k => k.ResourceTypes.Contains(t)).Select(k => k.GetType().Name).ToList());

        Assert.Empty(owners.Where(o => o.Value.Count != 1).Select(o => $"{o.Key}: [{string.Join(", ", o.Value)}]"));
        Assert.Superset(new HashSet<string> { "SysctlResource", "FirewallSection", "DovecotProbeResource", "MariaDbRowsResource" }, owners.Keys.ToHashSet());
    }

    [Fact]
    public void A_kinds_providers_serve_its_types_and_no_other_kinds()
    {
        foreach (var kind in ResourceKinds.All)
        {
            var served = kind.CreateProviders().Select(p => p.ResourceType).ToList();
            // A provider may be registered for a common base type of several of the kind's types (postfix, dovecot, mariadb).
            bool Serves(Type type) => served.Any(s => s.IsAssignableFrom(type));

            Assert.All(kind.ResourceTypes.Where(t => t != typeof(FirewallSection)), t => Assert.True(Serves(t), $"{kind.GetType().Name}: no provider for {t.Name}"));
            Assert.All(served, s => Assert.True(kind.ResourceTypes.Any(s.IsAssignableFrom), $"{kind.GetType().Name}: provider for {s.Name}, a type it does not declare"));
        }
    }

    [Fact]
    public void A_kinds_plan_kinds_are_the_kind_names_its_types_declare()
    {
        foreach (var kind in ResourceKinds.All)
        {
            var named = kind.ResourceTypes
                .Select(t => t.GetField("KindName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string)
                .OfType<string>();

            Assert.All(named, name => Assert.Contains(name, kind.PlanKinds));
        }

        var all = ResourceKinds.All.SelectMany(k => k.PlanKinds).ToList();
        Assert.Equal(all.Distinct().Count(), all.Count);
    }

    [Fact]
    public void Sections_and_apply_orders_are_unique_across_kinds()
    {
        var sections = ResourceKinds.All.SelectMany(k => k.Sections).ToList();
        var orders = ResourceKinds.All.Select(k => k.ApplyOrder).ToList();

        Assert.Equal(sections.Distinct().Count(), sections.Count);
        Assert.Equal(orders.Distinct().Count(), orders.Count);
        Assert.Equal(ResourceKinds.All.OrderBy(k => k.ApplyOrder), ResourceKinds.InApplyOrder);
    }
}
