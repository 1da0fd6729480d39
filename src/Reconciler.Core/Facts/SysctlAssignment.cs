using System.Text.RegularExpressions;

namespace Reconciler.Core.Facts;

/// <summary>
/// One assignment of a kernel parameter in a file boot reads (<see cref="SysctlFacts"/>): where it is (<paramref name="File"/>
/// line <paramref name="Line"/>), the value it sets (spaces normalized), and how it names the key: <paramref name="Pattern"/>
/// when it is a glob (<c>net.ipv4.conf.*.rp_filter</c>, which procps expands over /proc/sys) and so sets other keys too.
/// </summary>
public sealed record SysctlAssignment(string File, int Line, string Value, string? Pattern)
{
    /// <summary>The file is not world-readable: the value is compared, never shown.</summary>
    public bool Closed { get; init; }

    /// <summary>The file is a symbolic link: never edited through.</summary>
    public bool InLink { get; init; }

    /// <summary>Where it is, as a plan names it.</summary>
    public string At => $"{File}:{Line}";

    /// <summary>The value as a plan may show it: withheld when the file is closed.</summary>
    public string Shown => Closed ? "(value not shown: the file is not world-readable)" : Value;

    /// <summary>The characters that make a key in a sysctl.d file a pattern (procps and systemd-sysctl glob it).</summary>
    internal static bool IsPattern(string key) => key.AsSpan().IndexOfAny("*?[") >= 0;

    /// <summary>Whether the glob <paramref name="pattern"/> (path form) names <paramref name="key"/> (path form): '*' and '?' never cross a '/'.</summary>
    internal static bool Matches(string pattern, string key)
    {
        var regex = new System.Text.StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*') regex.Append("[^/]*");
            else if (c == '?') regex.Append("[^/]");
            else if (c == '[' && pattern.IndexOf(']', i + 2) is var close and > 0)
            {
                var body = pattern[(i + 1)..close];
                var negate = body.StartsWith('!') || body.StartsWith('^');
                regex.Append(negate ? "[^/" : "[").Append(Regex.Escape(negate ? body[1..] : body).Replace("\\-", "-", StringComparison.Ordinal)).Append(']');
                i = close;
            }
            else regex.Append(Regex.Escape(c.ToString()));
        }

        return Regex.IsMatch(key, regex.Append('$').ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
