using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Engine;

/// <summary>
/// The state file <c>ROOT/state</c> on each host: the commit the host was last brought to, when, and by whom. It is
/// read by the fact script and written by the apply script, so it costs no round trip of its own.
/// </summary>
internal sealed record HostRecord(string Root)
{
    public const string Section = "reconciler-state";

    public string ReadScript() => $"cat {Sh.Quote(Root)}/state 2>/dev/null; :";

    /// <summary>Replaces the file atomically; <paramref name="commit"/> is empty for specs that came from no commit.</summary>
    public string WriteScript(string? commit, string controller) => $$"""
        rc_root={{Sh.Quote(Root)}}
        mkdir -p "$rc_root" &&
        printf 'commit=%s\nat=%s\ncontroller=%s\n' {{Sh.Quote(commit ?? "")}} "$(date -u +%Y-%m-%dT%H:%M:%SZ)" {{Sh.Quote(controller)}} > "$rc_root/state.tmp.$$" &&
        mv -f "$rc_root/state.tmp.$$" "$rc_root/state"
        """;

    /// <summary>Null when the host has no state file.</summary>
    public static AppliedState? Parse(IEnumerable<string> lines)
    {
        var fields = lines.Select(l => l.TrimEnd('\r').Split('=', 2)).Where(f => f.Length == 2)
            .GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.First()[1]);
        if (!fields.TryGetValue("commit", out var commit)) return null;
        // Only the reconciler writes this file, and only a commit id or nothing: anything else did not come from it.
        if (commit.Length > 0 && (commit.Length > 64 || !commit.All(char.IsAsciiHexDigitLower)))
        {
            throw new MalformedFactsException("the state file's commit is not a commit id");
        }

        return new AppliedState(commit.Length == 0 ? null : commit, fields.GetValueOrDefault("at"), fields.GetValueOrDefault("controller"));
    }
}
