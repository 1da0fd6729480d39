namespace Reconciler.Core.Resources.Network;

/// <summary>
/// Commit-confirm fragments for the DSR kinds: the addresses on lo, every interface's arp_ignore/arp_announce and
/// the persisted files the DSR kinds write. Both DSR providers return these same fragments; the first save wins
/// (a later one would capture the ARP change already made), and restoring twice is harmless. Plain POSIX shell and
/// iproute2 only: the restore runs detached, without the apply script's function library.
/// </summary>
public static class DsrSnapshot
{
    /// <summary>Files the DSR kinds write (and the seed's ifcfg aliases); restore puts back exactly the saved set.</summary>
    public const string FileGlobs =
        "/etc/network/interfaces.d/reconciler-lo-* /etc/sysconfig/network-scripts/ifcfg-lo:* /etc/sysctl.d/zz-reconciler-dsr-arp.conf";

    // One line per address of lo: "family cidr scope label" (label empty for IPv6).
    private const string ListLo = """
        ip -o addr show dev lo | awk '{ fam = $3; cidr = $4; scope = "global"; label = ""
          for (i = 5; i <= NF; i++) {
            if ($i == "scope") scope = $(i + 1)
            if ($i ~ /\\$/) { if (fam == "inet") { label = $i; sub(/\\$/, "", label) } break }
          }
          print fam " " cidr " " scope " " label }'
        """;

    public static readonly string Save = $$"""
        (
          set -e
          rc_dsr="$RC_SNAPSHOT/dsr"
          if [ ! -e "$rc_dsr/complete" ]; then
            rm -rf -- "$rc_dsr"; mkdir -p -- "$rc_dsr/files"
            {{ListLo}} > "$rc_dsr/lo"
            for rc_c in /proc/sys/net/ipv4/conf/*; do
              printf '%s %s %s\n' "${rc_c##*/}" "$(cat "$rc_c/arp_ignore")" "$(cat "$rc_c/arp_announce")"
            done > "$rc_dsr/arp"
            : > "$rc_dsr/files.list"
            for rc_f in {{FileGlobs}}; do
              [ -f "$rc_f" ] || continue
              printf '%s\n' "$rc_f" >> "$rc_dsr/files.list"
              cp -p -- "$rc_f" "$rc_dsr/files/$(printf '%s' "$rc_f" | tr / _)"
            done
            : > "$rc_dsr/complete"
          fi
        )
        """;

    // Order matters: addresses added since go first, so no VIP is up while the old (possibly unsafe) ARP values
    // come back; addresses removed since come back last, into the state they were in before.
    public static readonly string Restore = $$"""
        (
          rc_dsr="$RC_SNAPSHOT/dsr"
          [ -f "$rc_dsr/complete" ] || { echo "no DSR snapshot in $rc_dsr" >&2; exit 1; }
          rc_fail=0
          {{ListLo}} | while IFS= read -r rc_l; do
            grep -qxF -- "$rc_l" "$rc_dsr/lo" && continue
            set -- $rc_l
            ip addr del "$2" dev lo || exit 1
          done || rc_fail=1
          while read -r rc_n rc_i rc_a; do
            [ -d "/proc/sys/net/ipv4/conf/$rc_n" ] || continue
            printf '%s\n' "$rc_i" > "/proc/sys/net/ipv4/conf/$rc_n/arp_ignore" || rc_fail=1
            printf '%s\n' "$rc_a" > "/proc/sys/net/ipv4/conf/$rc_n/arp_announce" || rc_fail=1
          done < "$rc_dsr/arp"
          rc_now=$({{ListLo}})
          while IFS= read -r rc_l; do
            printf '%s\n' "$rc_now" | grep -qxF -- "$rc_l" && continue
            set -- $rc_l
            if [ "$1" = inet ] && [ -n "${4:-}" ]; then
              ip addr add "$2" dev lo scope "$3" label "$4" || rc_fail=1
            else
              ip addr add "$2" dev lo scope "$3" || rc_fail=1
            fi
          done < "$rc_dsr/lo"
          for rc_f in {{FileGlobs}}; do
            [ -f "$rc_f" ] || continue
            grep -qxF -- "$rc_f" "$rc_dsr/files.list" || rm -f -- "$rc_f" || rc_fail=1
          done
          while IFS= read -r rc_f; do
            cp -p -- "$rc_dsr/files/$(printf '%s' "$rc_f" | tr / _)" "$rc_f" || rc_fail=1
          done < "$rc_dsr/files.list"
          exit $rc_fail
        )
        """;
}
