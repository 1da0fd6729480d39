using System.Text.RegularExpressions;

namespace Reconciler.Core.Resources.Packages;

/// <summary>
/// The grammars of package names (Debian policy 5.6.1), versions (policy 5.6.12, without spaces) and list ages; the
/// schema carries the same patterns (a test compares them). Nothing outside them reaches a script, and none of them
/// allows a shell or glob character, a space, a tab, a newline or a leading '-'.
/// </summary>
public static partial class PackageNames
{
    public const string NamePattern = "^[a-z0-9][a-z0-9+.-]{1,99}$";

    /// <summary>[epoch:]upstream[-revision]: the upstream part starts with a digit.</summary>
    public const string VersionPattern = "^([0-9]{1,9}:)?[0-9][A-Za-z0-9.+~:-]{0,99}$";

    /// <summary>A list age: a number and s, m, h or d (<c>1h</c>, <c>30m</c>, <c>7d</c>).</summary>
    public const string MaxAgePattern = "^[1-9][0-9]{0,5}[smhd]$";

    public static bool IsName(string name) => Name().IsMatch(name);

    public static bool IsVersion(string version) => Version().IsMatch(version);

    /// <summary>The age <paramref name="text"/> says, or null when it is not one.</summary>
    public static TimeSpan? MaxAge(string text)
    {
        if (!Age().IsMatch(text)) return null;
        var n = long.Parse(text[..^1], System.Globalization.CultureInfo.InvariantCulture);
        return text[^1] switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            _ => TimeSpan.FromDays(n),
        };
    }

    /// <summary>An age as the plan shows it: the largest unit that fits, then the next (<c>3h 12m</c>).</summary>
    public static string Shown(TimeSpan age) =>
        age.TotalDays >= 1 ? $"{(int)age.TotalDays}d {age.Hours}h"
        : age.TotalHours >= 1 ? $"{(int)age.TotalHours}h {age.Minutes}m"
        : age.TotalMinutes >= 1 ? $"{(int)age.TotalMinutes}m {age.Seconds}s"
        : $"{(int)age.TotalSeconds}s";

    // '$' would also match before a final newline: the code anchors with \z.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9+.-]{1,99}\z")]
    private static partial Regex Name();

    [GeneratedRegex(@"^([0-9]{1,9}:)?[0-9][A-Za-z0-9.+~:-]{0,99}\z")]
    private static partial Regex Version();

    [GeneratedRegex(@"^[1-9][0-9]{0,5}[smhd]\z")]
    private static partial Regex Age();
}
