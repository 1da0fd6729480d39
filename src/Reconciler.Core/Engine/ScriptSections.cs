using Reconciler.Core.Facts;

namespace Reconciler.Core.Engine;

/// <summary>
/// Frames the parts of one batched script so their output can be told apart: each part prints between
/// marker lines carrying a per-run nonce, which file contents read from the host cannot forge.
/// </summary>
internal sealed class ScriptSections(string nonce)
{
    public string Nonce { get; } = nonce;

    private string Marker => "@@" + Nonce;

    public static ScriptSections Create() => new(Guid.NewGuid().ToString("N")[..16]);

    public string Begin(string name) => $"printf '%s\\n' '{Marker} begin {name}'";

    /// <summary>The end marker with the part's exit status (by default that of the command just before it).</summary>
    public string End(string name, string status = "$?") => $"printf '%s %s\\n' '{Marker} end {name}' \"{status}\"";

    /// <summary>
    /// Splits output into sections: name → (lines, exit code of the part; -1 when it never finished). The host knows the
    /// nonce (it runs the script), so a hostile one can print markers too: a section begun twice is a malformed answer.
    /// </summary>
    public Dictionary<string, (List<string> Lines, int ExitCode)> Parse(string stdout)
    {
        var sections = new Dictionary<string, (List<string> Lines, int ExitCode)>();
        List<string>? current = null;
        foreach (var line in stdout.Split('\n'))
        {
            if (line.StartsWith(Marker + " begin ", StringComparison.Ordinal))
            {
                current = [];
                var name = line[(Marker.Length + 7)..];
                if (!sections.TryAdd(name, (current, -1)))
                {
                    throw new MalformedFactsException($"the part '{name}' of the fact script answered twice");
                }
            }
            else if (line.StartsWith(Marker + " end ", StringComparison.Ordinal))
            {
                var rest = line[(Marker.Length + 5)..];
                var space = rest.LastIndexOf(' ');
                var name = space < 0 ? rest : rest[..space];
                if (sections.TryGetValue(name, out var s))
                {
                    sections[name] = (s.Lines, space >= 0 && int.TryParse(rest[(space + 1)..], out var rc) ? rc : -1);
                }

                current = null;
            }
            else
            {
                current?.Add(line);
            }
        }

        return sections;
    }
}
