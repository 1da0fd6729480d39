using System.Text.RegularExpressions;

namespace Reconciler.Core.Model;

/// <summary>Glob matching for <c>--hosts</c>: <c>*</c> and <c>?</c>, comma-separated alternatives.</summary>
public static class HostPattern
{
    public static bool Matches(string pattern, string hostName) =>
        pattern.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(p => Regex.IsMatch(hostName, "^" + Regex.Escape(p).Replace(@"\*", ".*").Replace(@"\?", ".") + "$"));
}
