using Reconciler.Core.Diagnostics;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Sysctl;

/// <summary>A kernel parameter, persisted under /etc/sysctl.d and applied live; <paramref name="Conflicts"/> says what becomes of a later assignment that would override it at boot.</summary>
public sealed record SysctlResource(string Key, string Value, SourceLocation Source, SysctlConflicts Conflicts = SysctlConflicts.Comment) : Resource(Source)
{
    public const string KindName = "sysctl";

    public override ResourceAddress Address => new(KindName, Key);

    /// <summary>Path under /proc/sys, mapped by <see cref="SysctlKey"/> only (never '..', never outside /proc/sys).</summary>
    public string ProcPath => SysctlKey.ProcPath(Key);

    /// <summary>One file per key, named to sort after every NN-*.conf file (Debian's 99-sysctl.conf included) so ours wins at boot.</summary>
    public string PersistFile => $"/etc/sysctl.d/zz-reconciler-{Key.Replace('/', '.')}.conf";

    /// <summary>The marker that starts a line apply commented out because it would override <see cref="PersistFile"/> at boot.</summary>
    public string OverrideMarker => $"# reconciler: overridden by {PersistFile}: ";

    /// <summary>The kernel prints multi-field values separated by tabs; compare them with single spaces.</summary>
    public static string Normalize(string value) => SysctlPath.NormalizeValue(value);
}
