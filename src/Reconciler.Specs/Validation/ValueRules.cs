using System.Text.RegularExpressions;

namespace Reconciler.Specs.Validation;

/// <summary>Syntax of modes, sysctl keys and values, and config-line keys and values.</summary>
internal static partial class ValueRules
{
    public static string? ModeProblem(string mode) =>
        OctalMode().IsMatch(mode) ? null : $"mode '{mode}' is not 3 or 4 octal digits (0000-7777)";

    public static string? SysctlKeyProblem(string key) =>
        DottedSysctlKey().IsMatch(key) || SlashSysctlKey().IsMatch(key)
            ? null
            : $"sysctl key '{key}' is neither a dotted name like net.ipv4.ip_forward nor a slash path like net/ipv4/conf/eth0.100/rp_filter";

    public static string? SysctlValueProblem(string value) =>
        value.Trim().Length == 0 ? "sysctl value must not be empty"
        : HasLineBreak(value) ? "sysctl value must be a single line"
        : null;

    public static string? ConfigKeyProblem(string key) =>
        key.Any(c => char.IsWhiteSpace(c) || c is '=' or '#')
            ? $"config line key '{key}' must not contain whitespace, '=' or '#'"
            : null;

    public static string? ConfigValueProblem(string value) =>
        HasLineBreak(value) ? "config line value must be a single line"
        // The file's value is read with surrounding blanks trimmed; a padded value could never match it.
        : value != value.Trim() ? "config line value must not start or end with whitespace"
        : null;

    private static bool HasLineBreak(string value) => value.Contains('\n') || value.Contains('\r');

    [GeneratedRegex("^[0-7]{3,4}$")]
    private static partial Regex OctalMode();

    [GeneratedRegex(@"^[a-z0-9_]+(\.[A-Za-z0-9_:-]+)+$")]
    private static partial Regex DottedSysctlKey();

    [GeneratedRegex(@"^[a-z0-9_]+(/[A-Za-z0-9_.:-]+)+$")]
    private static partial Regex SlashSysctlKey();
}
