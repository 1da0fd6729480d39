using Reconciler.Core.Facts;

namespace Reconciler.Core.Resources.Sysctl;

/// <summary>
/// The grammar of sysctl keys; their mapping to /proc/sys is the sysctl facts' own (<see cref="SysctlPath"/>). A key is a
/// dotted name of letters, digits, '_' and '-' (net.ipv4.tcp_syncookies): no '/', no empty component, so no '..' — it
/// cannot name anything outside /proc/sys.
/// </summary>
public static class SysctlKey
{
    /// <summary>The spec grammar; schemas/resources.schema.json carries the same pattern (a test compares them).</summary>
    public const string Pattern = SysctlPath.DottedPattern;

    /// <summary>Far above any real key (the longest are under 80 characters).</summary>
    public const int MaxLength = SysctlPath.MaxLength;

    public static bool IsValid(string key) => SysctlPath.IsDotted(key);

    /// <summary>Why the key is refused, or null.</summary>
    public static string? Problem(string key) =>
        IsValid(key)
            ? null
            : $"sysctl key '{SysctlPath.Printable(key)}' is not a dotted name like net.ipv4.tcp_syncookies (letters, digits, '_' and '-' between dots, at most {MaxLength} characters; no '/' or '..')";

    /// <inheritdoc cref="SysctlPath.ProcPath"/>
    public static string ProcPath(string key) => SysctlPath.ProcPath(key);
}
