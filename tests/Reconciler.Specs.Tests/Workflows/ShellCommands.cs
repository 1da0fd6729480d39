using System.Text.RegularExpressions;

namespace Reconciler.Specs.Tests.Workflows;

/// <summary>
/// The simple commands of a step's <c>run:</c> script, each as its words, enough to tell which program runs and on
/// which paths. Not a shell parser: it errs towards finding more commands (every pipe, list and substitution starts
/// one), which only makes the checks stricter.
/// </summary>
internal static partial class ShellCommands
{
    /// <summary>Words that come before the program itself.</summary>
    private static readonly HashSet<string> Prefixes = new(StringComparer.Ordinal)
    {
        "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "!", "{", "}", "(", ")", "exec", "env",
        "sudo", "time", "command", "nohup", "xargs",
    };

    public static IReadOnlyList<IReadOnlyList<string>> Of(string script)
    {
        var joined = script.Replace("\\\n", " ", StringComparison.Ordinal);
        var commands = new List<IReadOnlyList<string>>();
        foreach (var line in joined.Split('\n'))
        {
            foreach (var piece in Separators().Split(StripComment(line)))
            {
                var words = Words().Matches(piece).Select(m => m.Value.Trim('"', '\'')).Where(w => w.Length > 0).ToList();
                // Variable assignments (FOO=bar cmd) and keywords come before the program.
                var start = 0;
                while (start < words.Count && (Prefixes.Contains(words[start]) || Assignment().IsMatch(words[start]) || words[start].StartsWith('-') && start > 0 && Prefixes.Contains(words[start - 1])))
                {
                    start++;
                }

                if (start < words.Count)
                {
                    commands.Add(words.Skip(start).ToList());
                }
            }
        }

        return commands;
    }

    private static string StripComment(string line)
    {
        var match = Comment().Match(line);
        return match.Success ? line[..match.Index] : line;
    }

    [GeneratedRegex(@"&&|\|\||[;|&`]|\$\(|\)")]
    private static partial Regex Separators();

    [GeneratedRegex(@"""[^""]*""|'[^']*'|\S+")]
    private static partial Regex Words();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*=")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"(^|\s)#")]
    private static partial Regex Comment();
}
