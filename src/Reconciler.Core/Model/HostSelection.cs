using Reconciler.Core.Diagnostics;

namespace Reconciler.Core.Model;

/// <summary>
/// What <c>--hosts</c> selects: comma-separated host names, group names and globs (<c>*</c>, <c>?</c>) over either. Every
/// term must select something: a typo or a pattern matching nothing is an error naming the closest names, never a
/// silent run over zero hosts (or over the hosts the other terms happened to match).
/// </summary>
public sealed class HostSelection
{
    /// <summary>Names listed in an error when nothing is close to what was typed; a fleet of hundreds is not printed whole.</summary>
    private const int NamesShown = 12;

    /// <summary>Unmatched terms named in an error; the rest are counted.</summary>
    private const int TermsShown = 5;

    private const int MaxTermShown = 100;

    /// <summary>Longer than any host or group name plus a typo: no suggestion is looked for.</summary>
    private const int MaxSuggestedTerm = 256;

    private readonly IReadOnlyList<string> _terms;

    private HostSelection(IReadOnlyList<string> terms) => _terms = terms;

    /// <summary>The selection <paramref name="text"/> writes, or null (every host) when it is empty.</summary>
    public static HostSelection? Parse(string? text)
    {
        var terms = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return terms.Length == 0 ? null : new HostSelection(terms);
    }

    public bool Selects(HostSpec host) => _terms.Any(t => Selects(t, host.Name, host.Groups));

    /// <summary>For a host known only by name (a saved plan's host the inventory no longer has): names and globs only.</summary>
    public bool SelectsName(string host) => _terms.Any(t => Selects(t, host, []));

    /// <summary>Why the selection is refused over <paramref name="hosts"/> (a term selecting none of them), or null.</summary>
    public string? Problem(IReadOnlyList<HostSpec> hosts)
    {
        var unmatched = _terms.Where(t => !hosts.Any(h => Selects(t, h.Name, h.Groups))).ToList();
        if (unmatched.Count == 0) return null;

        var names = hosts.Select(h => h.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var groups = hosts.SelectMany(h => h.Groups).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        // Bounded whatever --hosts holds (a workflow input, a script's list): a few terms, each cut, and the closest-name
        // search only for a term short enough to be a typo of a name (its cost is the term's length times each name's).
        var problems = unmatched.Take(TermsShown).Select(term =>
        {
            var close = term.Length <= MaxSuggestedTerm ? DidYouMean.Suggest(term, [.. names, .. groups]) : "";
            return $"'{Shown(term)}' selects no host or group{(close.Length > 0 ? close : "")}";
        });
        var more = unmatched.Count > TermsShown ? $"; and {unmatched.Count - TermsShown} more term(s) selecting nothing" : "";
        var known = close(names, "hosts") + "; " + close(groups, "groups");
        return $"{string.Join("; ", problems)}{more} (known {known})";

        static string Shown(string term) => term.Length <= MaxTermShown ? term : term[..MaxTermShown] + "…";

        static string close(IReadOnlyList<string> list, string what) => list.Count == 0
            ? $"{what}: none"
            : $"{what}: {string.Join(", ", list.Take(NamesShown))}{(list.Count > NamesShown ? $" and {list.Count - NamesShown} more" : "")}";
    }

    private static bool Selects(string term, string host, IReadOnlyList<string> groups) =>
        IsGlob(term)
            ? Glob(term, host) || groups.Any(g => Glob(term, g))
            : string.Equals(term, host, StringComparison.Ordinal) || groups.Contains(term, StringComparer.Ordinal);

    private static bool IsGlob(string term) => term.Contains('*') || term.Contains('?');

    /// <summary>A glob matched without regular expressions: '*' any run of characters, '?' one character.</summary>
    private static bool Glob(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
