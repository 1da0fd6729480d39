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

    /// <summary>Every assignment of the key boot reads, in the order it reads them (the last one is <see cref="Persisted"/>).</summary>
    public IReadOnlyList<SysctlAssignment> Assignments { get; init; } = [];

    // The persisted value is what `sysctl --system` (procps 4, Debian's /etc/init.d/procps) sets at boot: every *.conf
    // (dot files too) of the five directories, one file per name — an earlier directory masks a later one's file of the
    // same name — applied in strcmp order of the names, then /etc/sysctl.conf once more, last; the last assignment wins.
    // systemd-sysctl reads the same files without that final pass, so what overrides a key under procps is a superset.
    // Checked against procps' own `sysctl --system --dry-run` order by the integration tests. Each assignment carries
    // its file and line (what an override names and what apply comments out); a file that is a symbolic link is named
    // on a K line (never edited through), one other users cannot read on a Q line: its values are compared, never shown.
    private const string PersistedScan = """
        # grep, not awk, opens the files and numbers their lines (mawk would end at the first file it cannot open or read,
        # and every later file's assignments with it): its lines are FILE TAB N:TEXT (file names hold no tab), or N:TEXT
        # for one file read on its own, whose name comes in rc_sysctl_file.
        rc_sysctl_awk='
            BEGIN { file = ENVIRON["rc_sysctl_file"] }
            { if (file != "") { name = file; rest = $0 } else { t = index($0, "\t"); name = substr($0, 1, t - 1); rest = substr($0, t + 1) }
              c = index(rest, ":"); n = substr(rest, 1, c - 1) + 0; line = substr(rest, c + 1) }
            line ~ /^[ \t]*([#;]|$)/ { next }
            { i = index(line, "="); if (i == 0) next
              k = substr(line, 1, i - 1); v = substr(line, i + 1)
              gsub(/^[ \t-]+|[ \t]+$/, "", k); gsub(/[ \t]+/, " ", k); gsub(/^[ \t]+|[ \t]+$/, "", v); gsub(/[ \t]+/, " ", v)
              if (index(k, "/") == 0) gsub(/\./, "/", k)
              printf "P\t%s\t%s\t%d\t%s\n", k, name, n, v }'
        rc_sysctl_scan() {
          timeout 10 head -c 1048576 -- "$1" | grep -a -n -e '' | rc_sysctl_file="$1" awk "$rc_sysctl_awk"
        }
        rc_sysctl_many() {
          timeout 10 grep -a -n -H --null -e '' -- "$@" 2>/dev/null | tr '\000' '\t' | cut -b 1-1048576 | rc_sysctl_file= awk "$rc_sysctl_awk"
        }
        rc_tab=$(printf '\t') rc_nl='
        '
        # The files boot reads, in its order, captured through head -c; a name with a tab or line break is N.
        rc_sysctl_files=$(for d in /etc/sysctl.d /run/sysctl.d /usr/local/lib/sysctl.d /usr/lib/sysctl.d /lib/sysctl.d; do
          for f in "$d"/*.conf "$d"/.*.conf; do
            [ -f "$f" ] || continue
            case "${f##*/}" in *"$rc_tab"*|*"$rc_nl"*) printf '\t-\n' ;; *) printf '%s\t%s\n' "${f##*/}" "$f" ;; esac
          done
        done | LC_ALL=C sort -s -u -t "$rc_tab" -k1,1 | cut -f2 | head -c 1048576)
        set --
        while [ -n "$rc_sysctl_files" ]; do
          f=${rc_sysctl_files%%"$rc_nl"*}
          case "$rc_sysctl_files" in *"$rc_nl"*) rc_sysctl_files=${rc_sysctl_files#*"$rc_nl"} ;; *) rc_sysctl_files= ;; esac
          case "$f" in /*) set -- "$@" "$f" ;; *) printf 'N\n' ;; esac
        done
        if [ -f /etc/sysctl.conf ]; then set -- "$@" /etc/sysctl.conf; fi
        # One stat for every file (its size and whether others may read it; a line must name the file asked next), then
        # one awk over the files of at most 1 MiB, in boot order; a larger file, or one stat did not answer for, is read
        # on its own, its first 1 MiB as before.
        rc_sysctl_st=$(timeout 10 stat -L --printf='%n\t%s\t%A\n' -- "$@" | head -c $(($# * 4200)))"$rc_nl"
        rc_sysctl_small=
        for f in "$@"; do
          [ ! -L "$f" ] || printf 'K\t%s\n' "$f"
          rc_line=${rc_sysctl_st%%"$rc_nl"*}
          if [ "${rc_line%%"$rc_tab"*}" = "$f" ]; then
            rc_sysctl_st=${rc_sysctl_st#*"$rc_nl"}
            rc_line=${rc_line#*"$rc_tab"}; rc_size=${rc_line%%"$rc_tab"*}
            case "${rc_line#*"$rc_tab"}" in ???????r*) ;; *) printf 'Q\t%s\n' "$f" ;; esac
            case "$rc_size" in ''|*[!0-9]*|????????*) ;; *) [ "$rc_size" -gt 1048576 ] || { rc_sysctl_small="$rc_sysctl_small$f$rc_nl"; continue; } ;; esac
          else
            case "$(stat -L -c %A -- "$f")" in ???????r*) ;; *) printf 'Q\t%s\n' "$f" ;; esac
          fi
          rc_sysctl_small="$rc_sysctl_small-$f$rc_nl"
        done
        # Runs of small files go to one awk; a large file keeps its place in the order, read on its own.
        set --
        while [ -n "$rc_sysctl_small" ]; do
          f=${rc_sysctl_small%%"$rc_nl"*} rc_sysctl_small=${rc_sysctl_small#*"$rc_nl"}
          case "$f" in
            -*) [ "$#" -eq 0 ] || rc_sysctl_many "$@"; set --; rc_sysctl_scan "${f#-}" ;;
            *) set -- "$@" "$f" ;;
          esac
        done
        [ "$#" -eq 0 ] || rc_sysctl_many "$@"
        """;

    /// <summary>The file <c>sysctl --system</c> reads once more after every sysctl.d file: its assignments come last.</summary>
    public const string FinalFile = "/etc/sysctl.conf";

    /// <summary>The unit of <see cref="LiveQuery"/>.</summary>
    public const string LiveUnit = "sysctl live";

    /// <summary>The unit of <see cref="PersistedQuery"/>.</summary>
    public const string PersistedUnit = "sysctl.d";

    /// <summary>
    /// Host-wide, every persisted assignment in boot order as <c>P KEY-PATH FILE LINE VALUE</c>, every closed file as
    /// <c>Q FILE</c> and every linked one as <c>K FILE</c>: the same for every kind that asks, so it is read once.
    /// </summary>
    public static FactQuery PersistedQuery { get; } = new(PersistedUnit, PersistedScan);

    /// <summary>
    /// Reads the keys (dotted, or the path form code builds, see <see cref="SysctlPath"/>), each under its index:
    /// <c>L I VALUE</c> live, <c>U I</c> when /proc/sys does not let other users read it.
    /// </summary>
    public static FactQuery LiveQuery(IReadOnlyList<string> keys)
    {
        // One awk reads every readable key's /proc/sys file once (keys naming the same file share it; a key whose file
        // cannot be read has no L record), each value cut at 4 KiB with its tabs and line breaks made spaces; one find
        // names the files other users cannot read. Key paths are the grammar's (no tab or line break), so find's lines
        // name them exactly.
        var files = keys.Select((key, i) => (Proc: SysctlPath.ProcPath(key), Index: i))
            .GroupBy(k => k.Proc, StringComparer.Ordinal)
            .Select(g => (Proc: Sh.Quote(g.Key), Indexes: string.Join(',', g.Select(k => k.Index))))
            .ToList();
        var script = new StringBuilder();
        script.AppendLine("set --; rc_sysctl_idx=");
        foreach (var (proc, indexes) in files)
        {
            script.AppendLine($"if [ -r {proc} ]; then set -- \"$@\" {proc}; rc_sysctl_idx=\"$rc_sysctl_idx {indexes}\"; fi");
        }

        script.AppendLine($$"""
            [ "$#" -gt 0 ] || exit 0
            # grep, not awk, opens the files: mawk ends at the first file it cannot read (stable_secret's EIO, a network
            # interface's directory gone), and every key's value with it; grep names each line's file and goes on.
            # Its lines come as FILE NUL LINE (key paths hold no NUL, tab or line break), cut at 8 KiB before awk.
            timeout {{HostText.ReadSeconds}} grep -a -H --null -e '' -- "$@" 2>/dev/null | tr '\000' '\t' | cut -b 1-8192 |
              RC_IDX=$rc_sysctl_idx awk -F '\t' '
              BEGIN { n = split(ENVIRON["RC_IDX"], idx, " "); for (j = 1; j < ARGC; j++) name[j] = ARGV[j]; ARGC = 1 }
              { f = $1; x = substr($0, length(f) + 2)
                if (!(f in val)) val[f] = x; else if (length(val[f]) <= 4096) val[f] = val[f] " " x
                if (length(val[f]) > 4096) val[f] = substr(val[f], 1, 4096) }
              END { for (j = 1; j <= n; j++) { v = val[name[j]]; gsub(/\t/, " ", v); m = split(idx[j], at, ",")
                      for (k = 1; k <= m; k++) printf "L\t%s\t%s\n", at[k], v } }' "$@"
            rc_closed=$(timeout {{HostText.ReadSeconds}} find -L "$@" -maxdepth 0 ! -perm -0004 -print 2>/dev/null | head -c $(($# * 4200)))
            rc_nl='
            '
            rc_closed="$rc_nl$rc_closed$rc_nl"
            """);
        foreach (var (proc, indexes) in files)
        {
            var records = string.Concat(indexes.Split(',').Select(i => $"U\\t{i}\\n"));
            script.AppendLine($"case \"$rc_closed\" in *\"$rc_nl\"{proc}\"$rc_nl\"*) printf '{records}' ;; esac");
        }

        return new FactQuery(LiveUnit, script.ToString());
    }

    /// <summary>Both queries the facts of <paramref name="keys"/> need.</summary>
    public static IReadOnlyList<FactQuery> Queries(IReadOnlyList<string> keys) => [PersistedQuery, LiveQuery(keys)];

    /// <summary>The facts of each key, in order, from the answers to <see cref="Queries"/>.</summary>
    public static IReadOnlyList<SysctlFacts> Parse(IReadOnlyList<string> keys, FactAnswers answers)
    {
        var lines = answers[PersistedUnit];
        var closedFiles = new HashSet<string>(StringComparer.Ordinal);
        var linkedFiles = new HashSet<string>(StringComparer.Ordinal);
        // Persisted assignments arrive in boot order, keyed by path form (a pattern for globbed keys).
        var assignments = new List<(string Key, SysctlAssignment Assignment)>();
        foreach (var fields in lines.Select(l => l.Split('\t', 5)))
        {
            switch (fields[0])
            {
                case "P" when fields.Length == 5 && int.TryParse(fields[3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var line) && line > 0:
                    assignments.Add((fields[1], new SysctlAssignment(fields[2], line, fields[4], SysctlAssignment.IsPattern(fields[1]) ? fields[1] : null)));
                    break;
                case "P":
                    throw new MalformedFactsException("sysctl facts: a 'P' record without key, file, line number and value");
                case "Q" when fields.Length == 2:
                    closedFiles.Add(fields[1]);
                    break;
                case "K" when fields.Length == 2:
                    linkedFiles.Add(fields[1]);
                    break;
                case "N" when fields.Length == 1:
                    throw new MalformedFactsException("sysctl facts: a sysctl.d file name holds a tab or a line break; boot reads it, this read cannot name it");
                default:
                    throw new MalformedFactsException($"sysctl facts: an unexpected '{Excerpt.Cut(fields[0], 16)}' record");
            }
        }

        var byIndex = FactRecords.ByIndex(LiveUnit, answers[LiveUnit].Where(l => l.StartsWith("L\t", StringComparison.Ordinal) || l.StartsWith("U\t", StringComparison.Ordinal)), keys.Count);
        return keys.Select((key, i) =>
        {
            var facts = byIndex[i].ToList();
            var live = facts.FirstOrDefault(f => f[0] == "L") is { } l ? SysctlPath.NormalizeValue(l.FirstField() ?? "") : null;
            var path = SysctlPath.ProcPath(key)["/proc/sys/".Length..];
            var own = assignments
                .Where(a => a.Assignment.Pattern is null ? a.Key == path : SysctlAssignment.Matches(a.Key, path))
                .Select(a => a.Assignment with { Closed = closedFiles.Contains(a.Assignment.File), InLink = linkedFiles.Contains(a.Assignment.File) })
                .ToList();
            var last = own.LastOrDefault();
            return new SysctlFacts(live, last?.Value, last?.File)
            {
                LiveClosed = facts.Any(f => f[0] == "U"),
                PersistedClosed = last?.Closed ?? false,
                Assignments = own,
            };
        }).ToList();
    }
}
