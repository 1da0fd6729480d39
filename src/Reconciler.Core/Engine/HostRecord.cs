using Reconciler.Core.Facts;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Engine;

/// <summary>
/// The state file <c>ROOT/state</c> on each host: the commit the host was last brought to, when, and by whom, and how
/// the last apply ended (<c>last_apply_*</c>, written by the host itself at the end of every apply). It is read by the
/// fact script and written by the apply script, so it costs no round trip of its own.
/// </summary>
internal sealed record HostRecord(string Root)
{
    public const string Section = "reconciler-state";

    private const string LastApplyPrefix = "last_apply";

    public string ReadScript() => $"cat {Sh.Quote(Root)}/state 2>/dev/null; :";

    /// <summary>Replaces the commit lines atomically (keeping the last apply's record); <paramref name="commit"/> is empty for specs that came from no commit.</summary>
    public string WriteScript(string? commit, string controller) => Merge(
        "^(commit|at|controller)=",
        $$"""printf 'commit=%s\nat=%s\ncontroller=%s\n' {{Sh.Quote(commit ?? "")}} "$(date -u +%Y-%m-%dT%H:%M:%SZ)" {{Sh.Quote(controller)}}""");

    /// <summary>
    /// Records how this apply ended, from the apply script's own counters <c>$rc_ok</c>, <c>$rc_bad</c> and
    /// <c>$rc_total</c>; part of the detached apply, so it is written whether or not the controller is still there.
    /// </summary>
    public string OutcomeScript(string holder) => Merge(
        $"^{LastApplyPrefix}",
        $$"""printf '{{LastApplyPrefix}}=%s %s %s\n{{LastApplyPrefix}}_at=%s\n{{LastApplyPrefix}}_by=%s\n' "${rc_ok:-0}" "${rc_bad:-0}" "${rc_total:-0}" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" {{Sh.Quote(holder)}}""");

    /// <summary>Marks the last apply as one whose controller never came back for its result (run by the lock handover).</summary>
    public string UnattendedScript(string holder) => $$"""
        rc_root={{Sh.Quote(Root)}}
        if [ "$(sed -n 's/^{{LastApplyPrefix}}_by=//p' "$rc_root/state" 2>/dev/null | head -n 1)" = {{Sh.Quote(holder)}} ]; then
        {{Merge($"^{LastApplyPrefix}_unattended=", $"echo '{LastApplyPrefix}_unattended=yes'")}}
        fi
        """;

    /// <summary>Clears the unattended mark once an apply has reported it; the record of the outcome stays.</summary>
    public string AcknowledgeScript() => Merge($"^{LastApplyPrefix}_unattended=", ":");

    /// <summary>Null when the host has no state file.</summary>
    public static AppliedState? Parse(IEnumerable<string> lines)
    {
        var fields = Fields(lines);
        if (!fields.TryGetValue("commit", out var commit)) return null;
        // Only the reconciler writes this file, and only a commit id or nothing: anything else did not come from it.
        if (commit.Length > 0 && (commit.Length > 64 || !commit.All(char.IsAsciiHexDigitLower)))
        {
            throw new MalformedFactsException("the state file's commit is not a commit id");
        }

        return new AppliedState(commit.Length == 0 ? null : commit, fields.GetValueOrDefault("at"), fields.GetValueOrDefault("controller"));
    }

    /// <summary>Null when the host never recorded an apply's end (or the record is garbled).</summary>
    public static LastApply? ParseLastApply(IEnumerable<string> lines)
    {
        var fields = Fields(lines);
        if (!fields.TryGetValue(LastApplyPrefix, out var counts)) return null;
        var numbers = counts.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (numbers.Length != 3 || !int.TryParse(numbers[0], out var ok) || !int.TryParse(numbers[1], out var bad) || !int.TryParse(numbers[2], out var total))
        {
            return null;
        }

        return new LastApply(ok, bad, total, fields.GetValueOrDefault(LastApplyPrefix + "_at"), fields.GetValueOrDefault(LastApplyPrefix + "_by"),
            fields.GetValueOrDefault(LastApplyPrefix + "_unattended") == "yes");
    }

    private static Dictionary<string, string> Fields(IEnumerable<string> lines) =>
        lines.Select(l => l.TrimEnd('\r').Split('=', 2)).Where(f => f.Length == 2)
            .GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.First()[1]);

    /// <summary>Replaces the lines matching <paramref name="replaced"/> (an ERE) with <paramref name="print"/>'s output, atomically.</summary>
    private string Merge(string replaced, string print) => $$"""
        rc_root={{Sh.Quote(Root)}}
        mkdir -p "$rc_root" &&
        { grep -Ev {{Sh.Quote(replaced)}} "$rc_root/state" 2>/dev/null; {{print}}; } > "$rc_root/state.tmp.$$" &&
        mv -f "$rc_root/state.tmp.$$" "$rc_root/state"
        """;
}
