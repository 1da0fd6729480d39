using System.Text.RegularExpressions;

namespace Reconciler.Core.Facts;

/// <summary>
/// The one mapping of sysctl keys to /proc/sys, which the sysctl facts read through. A dotted key (net.ipv4.tcp_syncookies)
/// is letters, digits, '_' and '-' between dots: no '/', no empty component, so no '..' — it cannot name anything outside /proc/sys.
/// </summary>
public static partial class SysctlPath
{
    /// <summary>The dotted grammar; schemas/resources.schema.json carries the same pattern (a test compares them).</summary>
    public const string DottedPattern = "^[a-z0-9_]+(\\.[A-Za-z0-9_-]+)+$";

    /// <summary>Far above any real key (the longest are under 80 characters).</summary>
    public const int MaxLength = 200;

    /// <summary>One component of the path form the DSR code builds for interfaces with a dot (net/ipv4/conf/eth0.100/arp_ignore).</summary>
    private const string PathComponent = "^[A-Za-z0-9_.@-]+$";

    // '$' in .NET also matches before a final newline; the newline check closes that.
    public static bool IsDotted(string key) => key.Length <= MaxLength && !key.Contains('\n') && Dotted().IsMatch(key);

    /// <summary>
    /// The file under /proc/sys. Dotted keys map dot by dot; the path form (only built by code, for interface names
    /// with a dot) is accepted when every component is a plain name — never '.', '..' or empty.
    /// </summary>
    /// <exception cref="ArgumentException">The key is neither: it bypassed validation, which is a bug.</exception>
    public static string ProcPath(string key)
    {
        if (IsDotted(key))
        {
            return "/proc/sys/" + key.Replace('.', '/');
        }

        var components = key.Split('/');
        if (key.Length <= MaxLength && components.Length >= 2 && !key.Contains('\n')
            && components.All(c => c is not ("." or "..") && Component().IsMatch(c)))
        {
            return "/proc/sys/" + key;
        }

        throw new ArgumentException($"'{Printable(key)}' is not a sysctl key", nameof(key));
    }

    /// <summary>The kernel prints multi-field values separated by tabs; compare them with single spaces.</summary>
    public static string NormalizeValue(string value) =>
        string.Join(' ', value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));

    internal static string Printable(string text) => Text.VisibleText.Exact(text);

    [GeneratedRegex(DottedPattern)]
    private static partial Regex Dotted();

    [GeneratedRegex(PathComponent)]
    private static partial Regex Component();
}
