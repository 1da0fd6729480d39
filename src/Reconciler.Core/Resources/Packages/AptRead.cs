using System.Text;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Packages;

/// <summary>
/// The packages' one fact query per host: one <c>dpkg-query</c> for every named package (D records), one
/// <c>apt-cache madison</c> for the versions the lists offer (A), apt's simulation of the declared state, without
/// taking a lock (S lines for Inst/Remv/Purg, E for its errors, X for its exit codes), and when a refresh is declared,
/// the time and the newest list's (or the reconciler's last update stamp's) modification time, or none when the host
/// has no package list (T). The simulation
/// asks only for what apt can be asked (a known package, a version the lists offer), as apply will; the diff blocks the rest.
/// </summary>
public static class AptRead
{
    /// <summary>Written after every successful <c>apt-get update</c> apply runs: lists that did not change keep their old times.</summary>
    public const string UpdateStamp = "/var/lib/reconciler/apt-update.stamp";

    /// <summary>Options the simulation and the apply share, so the plan shows what apply's call does.</summary>
    public const string SharedOptions = "-q --allow-downgrades --allow-change-held-packages";

    /// <summary>
    /// The read's apt calls keep their package cache in memory: as root, apt-get and apt-cache otherwise rewrite
    /// /var/cache/apt/pkgcache.bin and srcpkgcache.bin whenever the lists changed, and a plan writes nothing on a host.
    /// </summary>
    public const string ReadOnlyCache = "-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=";

    /// <summary>
    /// A shell condition: the host has at least one package list (a file: source's is a link). A subshell, so its glob
    /// works whatever <c>set -f</c> the caller is under.
    /// </summary>
    public const string HasPackageLists =
        """( set +f; for rc_pk_l in /var/lib/apt/lists/*_Packages*; do [ -e "$rc_pk_l" ] || [ -L "$rc_pk_l" ]; exit; done; exit 1 )""";

    public static string Script(IReadOnlyList<PackageResource> resources)
    {
        var names = string.Join(' ', resources.Select(r => Sh.Quote(r.Name)));
        var s = new StringBuilder();
        s.AppendLine("set -f");
        s.AppendLine("export LC_ALL=C");
        s.AppendLine($"rc_pk_dpkg=$(dpkg-query -W -f='${{Package}}\\t${{db:Status-Abbrev}}\\t${{Version}}\\t${{db:Status-Want}}\\n' -- {names} 2>/dev/null | head -n 2000) || :");
        s.AppendLine($"rc_pk_av=$(apt-cache {ReadOnlyCache} madison -- {names} 2>/dev/null | head -n 5000 | awk -F'|' '{{gsub(/ /, \"\", $1); gsub(/ /, \"\", $2); print $1 \"\\t\" $2}}') || :");
        s.AppendLine("""[ -z "$rc_pk_dpkg" ] || printf '%s\n' "$rc_pk_dpkg" | sed 's/^/D\t/'""");
        s.AppendLine("""[ -z "$rc_pk_av" ] || printf '%s\n' "$rc_pk_av" | sed 's/^/A\t/'""");
        // rc_pk_has NAME [VERSION]: the lists offer it; rc_pk_st NAME: dpkg's status letter for it (n when unknown).
        s.AppendLine("""rc_pk_has() { printf '%s\n' "$rc_pk_av" | rc_pk_n="$1" rc_pk_v="${2-}" awk -F'\t' 'BEGIN { n = ENVIRON["rc_pk_n"]; v = ENVIRON["rc_pk_v"] } $1 == n && (v == "" || $2 == v) { f = 1 } END { exit !f }'; }""");
        s.AppendLine("""rc_pk_st() { printf '%s\n' "$rc_pk_dpkg" | rc_pk_n="$1" awk -F'\t' 'BEGIN { n = ENVIRON["rc_pk_n"] } $1 == n { s = substr($2, 2, 1); v = $3 } END { print (s == "" ? "n" : s) " " v }'; }""");
        s.AppendLine("rc_pk_i=''; rc_pk_p=''");
        foreach (var r in resources)
        {
            var n = Sh.Quote(r.Name);
            s.AppendLine($"rc_pk_s=$(rc_pk_st {n})");
            switch (r.State)
            {
                case PackageState.Present when r.Version is { } v:
                    s.AppendLine($"""if [ "$rc_pk_s" != "i "{Sh.Quote(v)} ] && rc_pk_has {n} {Sh.Quote(v)}; then rc_pk_i="$rc_pk_i "{Sh.Quote($"{r.Name}={v}")}; fi""");
                    break;
                case PackageState.Present:
                    s.AppendLine($$"""if [ "${rc_pk_s%% *}" != i ] && rc_pk_has {{n}}; then rc_pk_i="$rc_pk_i "{{n}}; fi""");
                    break;
                case PackageState.Absent:
                    s.AppendLine($"""case "$rc_pk_s" in n*|c*) ;; *) rc_pk_i="$rc_pk_i "{Sh.Quote(r.Name + "-")} ;; esac""");
                    break;
                case PackageState.Purged:
                    s.AppendLine($"""case "$rc_pk_s" in n*) ;; *) rc_pk_p="$rc_pk_p "{n} ;; esac""");
                    break;
            }
        }

        // The lists hold only grammar-checked words (no space, glob or shell character), so splitting them is safe.
        s.AppendLine(Simulate("install", "$rc_pk_i"));
        s.AppendLine(Simulate("purge", "$rc_pk_p"));
        if (resources.Any(r => r.RefreshMaxAge is not null))
        {
            // The stamp stands for lists an update left unchanged; lists deleted since (or never there) are none, whatever
            // it says: a recent stamp made a host with no lists look fresh, and its packages were blocked, not refreshed.
            s.AppendLine("set +f");
            s.AppendLine("rc_pk_t=''");
            s.AppendLine($"""if {HasPackageLists}; then rc_pk_t=$(stat -c %Y -- {Sh.Quote(UpdateStamp)} /var/lib/apt/lists/*_Packages* /var/lib/apt/lists/*Release 2>/dev/null | sort -n | tail -n 1) || :; fi""");
            s.AppendLine("""printf 'T\t%s\t%s\n' "$(date +%s)" "${rc_pk_t:-none}" """);
        }

        return s.ToString();
    }

    private static string Simulate(string verb, string words) => $$"""
        if [ -n "{{words}}" ]; then
          rc_pk_out=$(apt-get -s -o Debug::NoLocking=1 {{ReadOnlyCache}} {{SharedOptions}} {{verb}} -- {{words}} 2>&1) && rc_pk_rc=0 || rc_pk_rc=$?
          printf '%s\n' "$rc_pk_out" | grep -E '^(Inst|Remv|Purg) ' | head -n 10000 | sed 's/^/S\t/'
          printf '%s\n' "$rc_pk_out" | grep -E '^E: ' | head -n 3 | sed 's/^E: /E\t/'
          printf 'X\t{{verb}}\t%s\n' "$rc_pk_rc"
        fi
        """;
}
