using System.Globalization;
using System.Text.RegularExpressions;

namespace Reconciler.Core.Resources.Dkim;

/// <summary>
/// The grammars of what a DKIM declaration names. Each name ends up in a DNS owner name, a shell word, a path on the host
/// and a line of opendkim's tables, so each is as narrow as DNS allows: lower-case letter-digit-hyphen labels.
/// </summary>
public static class DkimNames
{
    /// <summary>A mail domain or zone: LDH labels of 1–63 characters joined by single dots, at least two labels, no trailing dot.</summary>
    public const string DomainPattern = "^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$";

    /// <summary>A selector: one LDH label (no dots: a dotted selector would put its record in a sub-zone nobody declared).</summary>
    public const string SelectorPattern = "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$";

    /// <summary>A TSIG key's name as named.conf writes it: LDH labels, '_' allowed, dots between, optional final dot.</summary>
    public const string KeyNamePattern = "^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?$";

    /// <summary>A duration: a count and a unit (s, m, h, d), e.g. 7d.</summary>
    public const string DurationPattern = "^[0-9]{1,6}[smhd]$";

    public static bool IsDomain(string text) => Domain.IsMatch(text);

    public static bool IsSelector(string text) => Selector.IsMatch(text);

    public static bool IsKeyName(string text) => KeyName.IsMatch(text);

    /// <summary>The duration <paramref name="text"/> names, or null when it is not one.</summary>
    public static TimeSpan? Duration(string text)
    {
        if (!DurationText.IsMatch(text)) return null;
        var count = long.Parse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture);
        return text[^1] switch
        {
            's' => TimeSpan.FromSeconds(count),
            'm' => TimeSpan.FromMinutes(count),
            'h' => TimeSpan.FromHours(count),
            _ => TimeSpan.FromDays(count),
        };
    }

    /// <summary>Whether <paramref name="domain"/> is <paramref name="zone"/> or a name under it.</summary>
    public static bool InZone(string domain, string zone) =>
        domain == zone || domain.EndsWith("." + zone, StringComparison.Ordinal);

    // '$' would also match before a final newline: the code's checks end at \z.
    private static readonly Regex Domain = new(DomainPattern[..^1] + "\\z");
    private static readonly Regex Selector = new(SelectorPattern[..^1] + "\\z");
    private static readonly Regex KeyName = new(KeyNamePattern[..^1] + "\\z");
    private static readonly Regex DurationText = new(DurationPattern[..^1] + "\\z");
}
