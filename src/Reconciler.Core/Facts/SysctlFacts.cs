using System.Text;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Facts;

/// <summary>
/// One kernel parameter as the host reported it: what the kernel runs with now (<paramref name="Live"/>, normalized to
/// single spaces; null when the kernel has no such parameter) and what boot will set (<paramref name="Persisted"/>,
/// from the last sysctl.d file in boot order that sets it, named by <paramref name="PersistedIn"/>).
/// </summary>
public record SysctlFacts(string? Live, string? Persisted, string? PersistedIn)
{
    /// <summary>The /proc/sys entry is not world-readable: its value is compared but never shown.</summary>
    public bool LiveClosed { get; init; }

    /// <summary>The sysctl.d file that persists the value is not world-readable: compared, never shown.</summary>
    public bool PersistedClosed { get; init; }

    // The persisted value is what boot would set: systemd-sysctl's rules — one file per name, earlier
    // directories shadowing later ones, applied in file-name order, the last assignment winning.
    // A file other users cannot read is named on a Q line: its values are compared, never shown (disclosure policy).
    private const string PersistedScan = """
        for d in /etc/sysctl.d /run/sysctl.d /usr/local/lib/sysctl.d /usr/lib/sysctl.d /lib/sysctl.d; do
          for f in "$d"/*.conf; do [ -f "$f" ] && printf '%s\t%s\n' "${f##*/}" "$f"; done
        done | sort -s -u -t "$(printf '\t')" -k1,1 | cut -f2 | while IFS= read -r f; do
          case "$(stat -L -c %A -- "$f")" in ???????r*) ;; *) printf 'Q\t%s\n' "$f" ;; esac
          timeout 10 head -c 1048576 -- "$f" | awk -v file="$f" '
            /^[ \t]*([#;]|$)/ { next }
            { i = index($0, "="); if (i == 0) next
              k = substr($0, 1, i - 1); v = substr($0, i + 1)
              gsub(/^[ \t-]+|[ \t]+$/, "", k); gsub(/^[ \t]+|[ \t]+$/, "", v); gsub(/[ \t]+/, " ", v)
              if (index(k, "/") == 0) gsub(/\./, "/", k)
              printf "P\t%s\t%s\t%s\n", k, file, v }'
        done
        """;

    /// <summary>The unit of <see cref="LiveQuery"/>.</summary>
    public const string LiveUnit = "sysctl live";

    /// <summary>The unit of <see cref="PersistedQuery"/>.</summary>
    public const string PersistedUnit = "sysctl.d";

    /// <summary>
    /// Host-wide, every persisted assignment in boot order as <c>P KEY-PATH FILE VALUE</c> and every closed file as
    /// <c>Q FILE</c>: the same for every kind that asks, so it is read once.
    /// </summary>
    public static FactQuery PersistedQuery { get; } = new(PersistedUnit, PersistedScan);

    /// <summary>
    /// Reads the keys (dotted, or the path form code builds, see <see cref="SysctlPath"/>), each under its index:
    /// <c>L I VALUE</c> live, <c>U I</c> when /proc/sys does not let other users read it.
    /// </summary>
    public static FactQuery LiveQuery(IReadOnlyList<string> keys)
    {
        var script = new StringBuilder();
        for (var i = 0; i < keys.Count; i++)
        {
            var proc = Sh.Quote(SysctlPath.ProcPath(keys[i]));
            script.AppendLine(
                $"if [ -r {proc} ]; then printf 'L\\t{i}\\t%s\\n' \"$(timeout {HostText.ReadSeconds} head -c 4096 -- {proc} | tr '\\t\\n' '  ')\"; " +
                $"case \"$(stat -L -c %A -- {proc})\" in ???????r*) ;; *) printf 'U\\t{i}\\n' ;; esac; fi");
        }

        return new FactQuery(LiveUnit, script.ToString());
    }

    /// <summary>Both queries the facts of <paramref name="keys"/> need.</summary>
    public static IReadOnlyList<FactQuery> Queries(IReadOnlyList<string> keys) => [PersistedQuery, LiveQuery(keys)];

    /// <summary>The facts of each key, in order, from the answers to <see cref="Queries"/>.</summary>
    public static IReadOnlyList<SysctlFacts> Parse(IReadOnlyList<string> keys, FactAnswers answers)
    {
        var lines = answers[PersistedUnit];
        // Persisted assignments arrive in boot order, keyed by path form; the last one wins.
        var persisted = new Dictionary<string, (string File, string Value)>();
        foreach (var fields in lines.Select(l => l.Split('\t', 4)).Where(f => f[0] == "P"))
        {
            persisted[fields[1..].Length == 3 ? fields[1] : throw new MalformedFactsException("sysctl facts: a 'P' record without key, file and value")] =
                (fields[2], fields[3]);
        }

        var closedFiles = lines.Where(l => l.StartsWith("Q\t", StringComparison.Ordinal)).Select(l => l[2..]).ToHashSet(StringComparer.Ordinal);
        var byIndex = FactRecords.ByIndex(LiveUnit, answers[LiveUnit].Where(l => l.StartsWith("L\t", StringComparison.Ordinal) || l.StartsWith("U\t", StringComparison.Ordinal)), keys.Count);
        return keys.Select((key, i) =>
        {
            var facts = byIndex[i].ToList();
            var live = facts.FirstOrDefault(f => f[0] == "L") is { } l ? SysctlPath.NormalizeValue(l.FirstField() ?? "") : null;
            var found = persisted.TryGetValue(SysctlPath.ProcPath(key)["/proc/sys/".Length..], out var p);
            return new SysctlFacts(live, found ? p.Value : null, found ? p.File : null)
            {
                LiveClosed = facts.Any(f => f[0] == "U"),
                PersistedClosed = found && closedFiles.Contains(p.File),
            };
        }).ToList();
    }
}
