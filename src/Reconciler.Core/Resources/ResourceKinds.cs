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
/// The build's catalog: every resource kind it knows, one line each, in the order the schema lists their sections.
/// Adding a kind is a folder under Resources/ and a line here.
/// </summary>
public static class ResourceKinds
{
    public static KindCatalog Default { get; } = new(
    [
        new SysctlKind(),
        new FileKind(),
        new PermissionsKind(),
        new ConfigLineKind(),
        new DsrKind(),
        new FirewallKind(),
        new Packages.PackagesKind(),
        new MariaDbKind(),
        new PostfixKind(),
        new DovecotKind(),
        new Dkim.DkimKind(),
        new Ldap.LdapKind(),
        new Services.ServiceKind(),
        new Health.HealthKind(),
        new MailGraphs.MailGraphsKind(),
    ]);

    /// <summary>The kinds of <see cref="Default"/>.</summary>
    public static IReadOnlyList<IResourceKind> All => Default.All;

    /// <summary>The providers of <see cref="Default"/>'s kinds: what the engine runs with.</summary>
    public static ProviderRegistry Registry() => Default.Registry();
}
