using Reconciler.Core.Model;
using Reconciler.Core.Resources;
using Reconciler.Core.Resources.ConfigLines;
using Reconciler.Core.Resources.Dovecot;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.Firewall;
using Reconciler.Core.Resources.MariaDb;
using Reconciler.Core.Resources.Network;
using Reconciler.Core.Resources.Packages;
using Reconciler.Core.Resources.Permissions;
using Reconciler.Core.Resources.Postfix;
using Reconciler.Core.Resources.Sysctl;

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
    public void A_kinds_plan_kinds_are_the_kinds_its_resources_addresses_have()
    {
        // Read from real resources (the kind's hostile samples, one at least of every type it plans), not from a
        // naming convention: a resource type needs no KindName constant for this to hold.
        var hostile = new HostileText("/nonexistent/canaries", "/nonexistent/scratch");
        foreach (var kind in ResourceKinds.All)
        {
            var addressed = kind.HostileSamples(hostile).SelectMany(s => s.Resources).Select(r => r.Address.Kind).ToList();

            Assert.NotEmpty(addressed);
            Assert.All(addressed, planKind => Assert.Contains(planKind, kind.PlanKinds));
        }

        var all = ResourceKinds.All.SelectMany(k => k.PlanKinds).ToList();
        Assert.Equal(all.Distinct().Count(), all.Count);
    }

    [Fact]
    public void Sections_are_unique_across_kinds_and_the_apply_order_is_the_one_the_kinds_state()
    {
        var sections = ResourceKinds.All.SelectMany(k => k.Sections).ToList();

        Assert.Equal(sections.Distinct().Count(), sections.Count);
        // The order the integer ApplyOrder (10, 20, ... 90) gave before kinds named the kinds they come after; dkim (added
        // since) after the files and packages, before the services that restart what it writes. health is never applied:
        // it names no kind before it and stays last, in catalog order.
        Assert.Equal(
            [typeof(SysctlKind), typeof(FileKind), typeof(PermissionsKind), typeof(ConfigLineKind), typeof(DsrKind), typeof(FirewallKind),
                typeof(PackagesKind), typeof(MariaDbKind), typeof(DovecotKind), typeof(PostfixKind), typeof(Core.Resources.Dkim.DkimKind), typeof(Core.Resources.Ldap.LdapKind), typeof(Core.Resources.Services.ServiceKind),
                typeof(Core.Resources.Health.HealthKind), typeof(Core.Resources.MailGraphs.MailGraphsKind)],
            ResourceKinds.Default.InApplyOrder.Select(k => k.GetType()));
        var position = ResourceKinds.Default.InApplyOrder.Select((k, i) => (k.GetType(), i)).ToDictionary();
        Assert.All(ResourceKinds.All, k => Assert.All(k.After, before => Assert.True(position[before] < position[k.GetType()], $"{k.GetType().Name} before {before.Name}")));
    }

    [Fact]
    public void A_kind_whose_changes_can_cut_the_controller_off_is_guarded_by_commit_confirm()
    {
        // A risk says the change may lock the controller out; the guard is what brings the host back if it does.
        Assert.All(ResourceKinds.All, k => Assert.True((k.Risk != Reconciler.Core.Plans.ChangeEffects.None) == (k.Guard is not null), $"{k.GetType().Name}: risk {k.Risk}, guard {(k.Guard is null ? "none" : "declared")}"));
        Assert.Equal(2, ResourceKinds.All.Count(k => k.Guard is not null));
    }
}
