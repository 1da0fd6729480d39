using System.Globalization;
using System.Text;
using Reconciler.Core.Shell;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Facts;

/// <summary>One declared glob path to expand on the host: its pattern, the patterns it excludes, and what to read of each match.</summary>
/// <param name="MatchFacts">The kind's own read of one path (the shell word <c>"$rc_m"</c>), printing records with index 0.</param>
public sealed record GlobRead(string Pattern, IReadOnlyList<string> Exclude, string MatchFacts);

/// <summary>One path a glob matched on the host, with the records its kind's read printed for it (index renumbered to 0).</summary>
public sealed record GlobMatch(string Path, IReadOnlyList<string[]> Records);

/// <summary>What a glob expanded to: its matches in the shell's order, or why it was not expanded (<see cref="Refused"/>).</summary>
public sealed record GlobAnswer(IReadOnlyList<GlobMatch> Matches, string? Refused = null);

/// <summary>
/// Glob paths (<c>path: /home/*</c>), expanded on the host inside the one batched read. The pattern reaches the shell
/// as a quoted assignment and is expanded only as the unquoted word <c>$rc_pat</c> with <c>set +f</c> and an empty IFS
/// for that one word: nothing in it is evaluated, only matched. An unmatched pattern is zero matches (not the pattern
/// itself), <c>.</c> and <c>..</c> are never matches, and more than <see cref="MaxMatches"/> is refused before any
/// match is read. Each name goes back base64-encoded (a newline, tab or leading dash stays one name) and is then read
/// by its kind's own fragment for a literal path — judged by <see cref="PathSafety"/> like any literal path — with its
/// records renumbered to the match.
/// <list type="bullet">
/// <item><c>G GLOB COUNT</c> or <c>G GLOB cap COUNT</c>: how many paths glob GLOB matched (host-wide record).</item>
/// <item><c>M MATCH GLOB BASE64</c>: match MATCH (numbered across the query) of glob GLOB; then the kind's records for it, index MATCH.</item>
/// </list>
/// </summary>
public static class GlobPaths
{
    /// <summary>More matches than this is a clear error for the resource, not a plan of ten thousand changes.</summary>
    public const int MaxMatches = 10_000;

    /// <summary>Whether a declared path is a pattern: it holds '*', '?' or '['.</summary>
    public static bool IsPattern(string path) => path.AsSpan().IndexOfAny("*?[") >= 0;

    /// <summary>The components before the first one holding a pattern character, e.g. "/home" for "/home/*/www".</summary>
    public static string LiteralPrefix(string pattern)
    {
        var kept = new List<string>();
        foreach (var part in pattern[1..].Split('/'))
        {
            if (IsPattern(part)) break;
            kept.Add(part);
        }

        return "/" + string.Join('/', kept);
    }

    /// <summary>A literal path as a pattern matching only itself.</summary>
    public static string Escape(string literal) =>
        new StringBuilder(literal).Replace("\\", "\\\\").Replace("*", "\\*").Replace("?", "\\?").Replace("[", "\\[").ToString();

    /// <summary>The query of unit <paramref name="unit"/> expanding every glob; <paramref name="library"/> runs first.</summary>
    public static FactQuery Query(string unit, IReadOnlyList<GlobRead> globs, string library)
    {
        var script = new StringBuilder(library).AppendLine();
        // Nothing else in this query is expanded: only $rc_pat, below, with set +f for that one word.
        script.AppendLine("set -f; rc_n=0");
        for (var i = 0; i < globs.Count; i++)
        {
            var glob = globs[i];
            script.AppendLine($"rc_pat={Sh.Quote(glob.Pattern)}");
            script.AppendLine("rc_ifs=$IFS; IFS=; set +f; set -- $rc_pat; set -f; IFS=$rc_ifs");
            // The shell leaves an unmatched pattern as it is: that is no match, unless a path by that very name exists.
            script.AppendLine("if [ $# -eq 1 ] && [ \"$1\" = \"$rc_pat\" ] && ! [ -e \"$1\" ] && ! [ -L \"$1\" ]; then set --; fi");
            script.AppendLine("rc_k=0");
            script.AppendLine($"for rc_m; do {Skip(glob)} rc_k=$((rc_k+1)); done");
            script.AppendLine($"if [ \"$rc_k\" -gt {MaxMatches} ]; then printf 'G\\t{i}\\tcap\\t%s\\n' \"$rc_k\"; else");
            script.AppendLine($"  printf 'G\\t{i}\\t%s\\n' \"$rc_k\"");
            script.AppendLine($"  for rc_m; do {Skip(glob)}");
            script.AppendLine($"    printf 'M\\t%s\\t{i}\\t%s\\n' \"$rc_n\" \"$(printf '%s' \"$rc_m\" | base64 -w0)\"");
            // The kind's read of a literal path, its records' index field set to this match's number.
            script.AppendLine($"    ( {glob.MatchFacts.TrimEnd()}\n    ) | awk -v n=\"$rc_n\" 'BEGIN {{ FS = OFS = \"\\t\" }} {{ $2 = n; print }}'");
            script.AppendLine("    rc_n=$((rc_n+1))");
            script.AppendLine("  done");
            script.AppendLine("fi");
        }

        return new FactQuery(unit, script.ToString());
    }

    /// <summary>Skips '.', '..' and excluded paths (an exclude is a case pattern: its '*' also matches '/', as find's -path).</summary>
    private static string Skip(GlobRead glob)
    {
        var excluded = string.Concat(glob.Exclude.Select((e, n) => $"rc_ex={Sh.Quote(e)}; case \"$rc_m\" in $rc_ex|$rc_ex/*) continue ;; esac; "));
        return $"case \"$rc_m/\" in */./*|*/../*) continue ;; esac; {excluded}";
    }

    /// <summary>The answer to <see cref="Query"/> for <paramref name="count"/> globs; a record out of its grammar is malformed.</summary>
    public static IReadOnlyList<GlobAnswer> Parse(string unit, IReadOnlyList<string> lines, int count)
    {
        var totals = new int?[count];
        var capped = new string?[count];
        foreach (var fields in lines.Select(l => l.Split('\t')).Where(f => f[0] == "G"))
        {
            var glob = Index(unit, fields, 1, count);
            if (totals[glob] is not null || capped[glob] is not null)
            {
                throw new MalformedFactsException($"{unit} facts: glob {glob} counted twice");
            }

            if (fields.Length == 4 && fields[2] == "cap")
            {
                capped[glob] = $"more than {MaxMatches} paths match (the host counted {Number(unit, fields[3])}); declare a narrower pattern";
            }
            else
            {
                totals[glob] = fields.Length == 3 ? Number(unit, fields[2]) : throw new MalformedFactsException($"{unit} facts: a malformed 'G' record");
            }
        }

        var total = totals.Sum(t => t ?? 0);
        var byMatch = FactRecords.ByIndex(unit, lines, total, new HashSet<string>(StringComparer.Ordinal) { "G" });
        var matches = Enumerable.Range(0, count).Select(_ => new List<GlobMatch>()).ToArray();
        var notText = new int[count];
        for (var n = 0; n < total; n++)
        {
            var records = byMatch[n].ToList();
            var named = records.Where(r => r[0] == "M").ToList();
            if (named is not [{ Length: 4 } m])
            {
                throw new MalformedFactsException($"{unit} facts: match {n} has {named.Count} names");
            }

            var glob = Index(unit, m, 2, count);
            if (Name(unit, m[3]) is { } name)
            {
                matches[glob].Add(new GlobMatch(name, records.Where(r => r[0] != "M").ToList()));
            }
            else
            {
                notText[glob]++;
            }
        }

        return Enumerable.Range(0, count).Select(i =>
        {
            if (capped[i] is { } refused)
            {
                return new GlobAnswer([], refused);
            }

            if (matches[i].Count + notText[i] != (totals[i] ?? 0))
            {
                throw new MalformedFactsException($"{unit} facts: glob {i} counted {totals[i] ?? 0} matches and named {matches[i].Count + notText[i]}");
            }

            // The plan could not name such a path, nor apply spell it back: the glob is refused, not half applied.
            return notText[i] == 0
                ? new GlobAnswer(matches[i])
                : new GlobAnswer([], $"{notText[i]} matching path(s) have a name that is not UTF-8 text; rename them or narrow the pattern");
        }).ToList();
    }

    /// <summary>A match's name, or null when it is not UTF-8 text (a name the plan could not spell back); absolute, one path.</summary>
    private static string? Name(string unit, string base64)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException e)
        {
            throw new MalformedFactsException($"{unit} facts: a match name that is not base64", e);
        }

        string name;
        try
        {
            name = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        return name.StartsWith('/') && !name.Contains('\0') && name.Length <= PathRules.MaxLength
            ? name
            : throw new MalformedFactsException($"{unit} facts: a match that is not an absolute path");
    }

    private static int Index(string unit, string[] fields, int at, int count) =>
        fields.Length > at && int.TryParse(fields[at], NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < count
            ? i
            : throw new MalformedFactsException($"{unit} facts: a record for glob '{(fields.Length > at ? fields[at] : "")}', not one of the {count} read");

    private static int Number(string unit, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new MalformedFactsException($"{unit} facts: a match count that is not a number");
}
