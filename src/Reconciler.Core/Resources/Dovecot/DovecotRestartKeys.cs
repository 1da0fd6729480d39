using System.Text;
using System.Text.RegularExpressions;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Dovecot;

/// <summary>
/// The lines of a dovecot file that a reload cannot take: <c>protocols</c>, <c>listen</c>, whole <c>service</c> blocks
/// (their inet and unix listeners) and <c>!include</c>s, comments dropped and whitespace collapsed. The plan compares
/// their digest (computed on the host by <see cref="AwkProgram"/>, here by <see cref="Digest"/>, the same rules) to say
/// "restart" rather than "reload"; the transaction then also compares doveconf's view of those settings.
/// </summary>
public static partial class DovecotRestartKeys
{
    /// <summary>The same extraction as <see cref="Extract"/>, for mawk/gawk under LC_ALL=C.</summary>
    public const string AwkProgram = """
        { sub(/#.*/, ""); gsub(/[ \t\r]+/, " "); sub(/^ /, ""); sub(/ $/, "")
          if ($0 == "") next
          opens = gsub(/[{]/, "{"); closes = gsub(/[}]/, "}")
          if (depth > 0) { print; depth += opens - closes; if (depth < 0) depth = 0; next }
          if ($0 ~ /^service[ {]/) { print; depth = opens - closes; if (depth < 0) depth = 0; next }
          if ($0 ~ /^(protocols|listen) ?=/ || $0 ~ /^!include/) print }
        """;

    public static string Extract(string content)
    {
        var kept = new StringBuilder();
        var depth = 0;
        foreach (var raw in content.Split('\n'))
        {
            var hash = raw.IndexOf('#');
            var line = Blanks().Replace(hash < 0 ? raw : raw[..hash], " ");
            line = line.StartsWith(' ') ? line[1..] : line;
            line = line.EndsWith(' ') ? line[..^1] : line;
            if (line.Length == 0)
            {
                continue;
            }

            var balance = line.Count(c => c == '{') - line.Count(c => c == '}');
            if (depth > 0)
            {
                depth = Math.Max(0, depth + balance);
            }
            else if (ServiceBlock().IsMatch(line))
            {
                depth = Math.Max(0, balance);
            }
            else if (!ListenerSetting().IsMatch(line))
            {
                continue;
            }

            kept.Append(line).Append('\n');
        }

        return kept.ToString();
    }

    /// <summary>SHA-256 of <see cref="Extract"/>'s lines, as <c>awk | sha256sum</c> prints it on the host.</summary>
    public static string Digest(string content) => Sha256Text.Hex(Extract(content));

    [GeneratedRegex("[ \t\r]+")]
    private static partial Regex Blanks();

    [GeneratedRegex("^service[ {]")]
    private static partial Regex ServiceBlock();

    [GeneratedRegex("^((protocols|listen) ?=|!include)")]
    private static partial Regex ListenerSetting();
}
