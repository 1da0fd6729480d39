using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Resources.ConfigLines;
using Reconciler.Core.Resources.Dovecot;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.Firewall;
using Reconciler.Core.Resources.MariaDb;
using Reconciler.Core.Resources.Network;
using Reconciler.Core.Resources.Permissions;
using Reconciler.Core.Resources.Postfix;
using Reconciler.Core.Resources.Sysctl;

namespace Reconciler.Core.Resources;

/// <summary>
/// The catalog: every resource kind this build knows, one line each, in the order the schema lists their sections.
/// Adding a kind is a folder under Resources/ and a line here.
/// </summary>
public static class ResourceKinds
{
    public static IReadOnlyList<IResourceKind> All { get; } =
    [
        new SysctlKind(),
        new FileKind(),
        new PermissionsKind(),
        new ConfigLineKind(),
        new DsrKind(),
        new FirewallKind(),
        new MariaDbKind(),
        new PostfixKind(),
        new DovecotKind(),
    ];

    /// <summary>The providers of <paramref name="kinds"/> (default: all), each with its kind's risk and guard: what the engine runs with.</summary>
    public static ProviderRegistry Registry(IEnumerable<IResourceKind>? kinds = null) =>
        new((kinds ?? All).SelectMany(kind => kind.CreateProviders().Select(provider => (provider, kind.Risk, kind.Guard))));

    /// <summary>The kinds in apply order (within one file): each after the kinds it names, ties in catalog order.</summary>
    public static IReadOnlyList<IResourceKind> InApplyOrder { get; } = KindOrder.Sort(All);

    private static readonly Dictionary<Type, IResourceKind> ByType =
        All.SelectMany(k => k.ResourceTypes.Select(t => (Type: t, Kind: k))).ToDictionary(x => x.Type, x => x.Kind);

    /// <summary>The kind that declares <paramref name="resource"/>'s type.</summary>
    public static IResourceKind Of(Resource resource) =>
        ByType.TryGetValue(resource.GetType(), out var kind)
            ? kind
            : throw new InvalidOperationException($"no resource kind declares {resource.GetType().Name}");

    /// <summary>What makes <paramref name="resource"/> the same thing as another on one host (see <see cref="IResourceKind.Identity"/>).</summary>
    public static string IdentityOf(Resource resource) => Of(resource).Identity(resource);
}
