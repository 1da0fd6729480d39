using System.Text.RegularExpressions;

namespace Reconciler.Core.Specs;

/// <summary>Syntax of modes, sysctl values, and config-line keys and values.</summary>
public static partial class ValueRules
{
    public static string? ModeProblem(string mode) =>
        OctalMode().IsMatch(mode) ? null : $"mode '{mode}' is not 3 or 4 octal digits (0000-7777)";

    public static string? SysctlValueProblem(string value) =>
        value.Trim().Length == 0 ? "sysctl value must not be empty"
        : HasLineBreak(value) ? "sysctl value must be a single line"
        : HasControl(value) ? "sysctl value must not contain control characters"
        : null;

    public static string? ConfigKeyProblem(string key) =>
        key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '=' or '#')
            ? $"config line key '{PathRules.Printable(key)}' must not contain whitespace, control characters, '=' or '#'"
            : null;

    public static string? ConfigValueProblem(string value) =>
        HasLineBreak(value) ? "config line value must be a single line"
        : HasControl(value) ? "config line value must not contain control characters"
        // The file's value is read with surrounding blanks trimmed; a padded value could never match it.
        : value != value.Trim() ? "config line value must not start or end with whitespace"
        : null;

    private static bool HasLineBreak(string value) => value.Contains('\n') || value.Contains('\r');

    /// <summary>Tabs are allowed (the kernel separates fields with them); NUL, escapes and the like never are.</summary>
    private static bool HasControl(string value) => value.Any(c => char.IsControl(c) && c != '\t');

    [GeneratedRegex("^[0-7]{3,4}\\z")]
    private static partial Regex OctalMode();
}
