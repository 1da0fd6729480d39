using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Reconciler.Core.Shell;

/// <summary>
/// The shell code that holds no per-resource value lives in <c>.sh</c> files next to the C# that uses it, so the tests can
/// check every one with <c>sh -n</c> and shellcheck (<c>ShellFileTests</c>). Each is embedded in this assembly under
/// <c>shell/FILE.sh</c> (Reconciler.Core.csproj) and read once, on first use; a file that is not embedded fails that
/// use with its name, never yields an empty script. What a file holds is sent as it stands, with two rules:
/// <list type="bullet">
/// <item>Lines at the top that start with <c>##</c> are notes for readers of the file (what it is, its placeholders)
/// and are not sent; the file's final newline is dropped too (callers add their own line ends).</item>
/// <item><c>@RC_NAME@</c> is a placeholder that <see cref="Fill"/> replaces with a value the C# code supplies —
/// a constant it owns, or a per-run value such as the envelope's body. A placeholder is a plain word to sh, so the file
/// stays valid stand-alone shell for <c>sh -n</c>; and a placeholder left unfilled would be a command or a word no host
/// has, never an empty expansion. Each value is inserted verbatim in one pass (a value is never searched for
/// placeholders); per-resource values are quoted by the caller (<see cref="Sh.Quote"/>) before they get here.</item>
/// </list>
/// </summary>
internal static partial class ShellFiles
{
    /// <summary>The manifest name prefix of every embedded shell file.</summary>
    public const string ResourcePrefix = "shell/";

    private static readonly ConcurrentDictionary<string, string> Loaded = new(StringComparer.Ordinal);

    /// <summary>The text of the embedded file <paramref name="fileName"/> (e.g. <c>rc-write.sh</c>), read once.</summary>
    public static string Load(string fileName) => Loaded.GetOrAdd(fileName, Read);

    /// <summary>
    /// The file <paramref name="fileName"/> with each <c>@RC_NAME@</c> replaced by <paramref name="values"/>[RC_NAME].
    /// The file's placeholders and the names given must be the same set: a mismatch is a programming error and fails
    /// loudly, whatever the values.
    /// </summary>
    public static string Fill(string fileName, IReadOnlyDictionary<string, string> values)
    {
        var template = Load(fileName);
        var used = Placeholder().Matches(template).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var missing = used.Where(n => !values.ContainsKey(n)).Order(StringComparer.Ordinal).ToList();
        var unused = values.Keys.Where(n => !used.Contains(n)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || unused.Count > 0)
        {
            throw new InvalidOperationException(
                $"the shell file {fileName} and its caller disagree on placeholders: no value for [{string.Join(", ", missing)}], "
                + $"no placeholder for [{string.Join(", ", unused)}]");
        }

        return Placeholder().Replace(template, m => values[m.Groups[1].Value]);
    }

    /// <summary>The names (without prefix) of every shell file embedded in this assembly.</summary>
    public static IReadOnlyList<string> Embedded() =>
        typeof(ShellFiles).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..])
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The embedded file as it is stored, notes and all: what <c>sh -n</c> and shellcheck read.</summary>
    public static string Raw(string fileName) =>
        EmbeddedText.Read(
            ResourcePrefix + fileName,
            "every .sh file next to the code must be an EmbeddedResource with LogicalName shell/FILE.sh (see Reconciler.Core.csproj)");

    private static string Read(string fileName)
    {
        var lines = Raw(fileName).Split('\n');
        var notes = lines.TakeWhile(l => l.StartsWith("##", StringComparison.Ordinal)).Count();
        var text = string.Join('\n', lines.Skip(notes));
        return text.EndsWith('\n') ? text[..^1] : text;
    }

    [GeneratedRegex("@(RC_[A-Z0-9_]+)@")]
    private static partial Regex Placeholder();
}
