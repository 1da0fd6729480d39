namespace Reconciler.Core.Resources.Firewall;

/// <summary>Parsers for what iptables and ipset print; pure, and linear in the output (a set may hold 100,000 entries).</summary>
public static class FirewallParsing
{
    /// <summary>
    /// Reads the managed chain from <c>iptables -S</c> lines or an <c>iptables-save</c> filter table (<c>:CHAIN</c>
    /// declarations count as <c>-N CHAIN</c>); lines of other chains are ignored.
    /// </summary>
    public static ChainState Chain(IEnumerable<string> lines)
    {
        var exists = false;
        var rules = new List<string>();
        var jumps = new List<int>();
        var inputRule = 0;
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd('\r');
            if (line == $"-N {FirewallNames.Chain}" || line.StartsWith($":{FirewallNames.Chain} ", StringComparison.Ordinal))
            {
                exists = true;
            }
            else if (line.StartsWith($"-A {FirewallNames.Chain} ", StringComparison.Ordinal))
            {
                rules.Add(line);
            }
            else if (line.StartsWith("-A INPUT ", StringComparison.Ordinal))
            {
                inputRule++;
                if (line == FirewallNames.JumpRule)
                {
                    jumps.Add(inputRule);
                }
            }
        }

        return new ChainState(exists || rules.Count > 0, rules, jumps);
    }

    /// <summary>
    /// Members per set from <c>ipset save</c> output (<c>add NAME ENTRY</c> lines), for the sets in <paramref name="wanted"/>;
    /// a set appears in the result when its <c>create</c> line was seen, even if it has no members.
    /// </summary>
    public static Dictionary<string, HashSet<string>> SetMembers(IEnumerable<string> lines, IReadOnlySet<string> wanted)
    {
        var members = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var span = line.AsSpan().TrimEnd('\r');
            var first = span.IndexOf(' ');
            if (first < 0)
            {
                continue;
            }

            var verb = span[..first];
            var rest = span[(first + 1)..];
            var second = rest.IndexOf(' ');
            var name = (second < 0 ? rest : rest[..second]).ToString();
            if (!wanted.Contains(name))
            {
                continue;
            }

            if (verb.SequenceEqual("create"))
            {
                members.TryAdd(name, new HashSet<string>(StringComparer.Ordinal));
            }
            else if (verb.SequenceEqual("add") && second >= 0)
            {
                var entry = rest[(second + 1)..];
                var space = entry.IndexOf(' '); // options such as "timeout 60" follow the entry
                var text = (space < 0 ? entry : entry[..space]).ToString();
                if (!members.TryGetValue(name, out var set))
                {
                    members[name] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.Add(text);
            }
        }

        return members;
    }

    /// <summary>Set headers from <c>ipset list -t</c>: name → (type, family; null for types without one).</summary>
    public static Dictionary<string, (string Type, string? Family)> SetHeaders(IEnumerable<string> lines)
    {
        var headers = new Dictionary<string, (string Type, string? Family)>(StringComparer.Ordinal);
        string? name = null;
        string? type = null;
        foreach (var line in lines)
        {
            if (line.StartsWith("Name: ", StringComparison.Ordinal))
            {
                name = line[6..].Trim();
                type = null;
            }
            else if (line.StartsWith("Type: ", StringComparison.Ordinal) && name is not null)
            {
                type = line[6..].Trim();
                headers[name] = (type, null);
            }
            else if (line.StartsWith("Header: ", StringComparison.Ordinal) && name is not null && type is not null)
            {
                var words = line[8..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var at = Array.IndexOf(words, "family");
                headers[name] = (type, at >= 0 && at + 1 < words.Length ? words[at + 1] : null);
            }
        }

        return headers;
    }
}
