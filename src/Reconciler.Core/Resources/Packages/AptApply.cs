using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Packages;

/// <summary>
/// A host's package changes as one apt call: <c>apt-get update</c> first when the plan says the lists are due, then one
/// <c>apt-get install</c> (installs as NAME or NAME=VERSION, removals as NAME-), an <c>apt-get purge</c> for the packages
/// to purge (apt has no per-package purge inside an install), and holds through <c>apt-mark</c>. Non-interactive, old
/// config files kept, the dpkg lock waited for up to the spec's bound, and a policy-rc.d that refuses every service
/// start in place during the call, so no daemon a package ships is started by it (the previous policy-rc.d is restored).
/// </summary>
public static class AptApply
{
    public const string PolicyRcD = "/usr/sbin/policy-rc.d";

    public static string Script(IReadOnlyList<PlannedChange> changing)
    {
        var members = changing.Select(p => ((PackageResource)p.Resource, p.Change)).ToList();
        bool Has((PackageResource R, ResourceChange C) m, AttributeName name) => m.C.Attributes.Any(a => a.Name == name);
        var install = members.Where(m => m.Item1.State == PackageState.Present && (Has(m, PackageAttributeNames.State) || Has(m, PackageAttributeNames.Version)))
            .Select(m => m.Item1.Version is { } v ? $"{m.Item1.Name}={v}" : m.Item1.Name)
            .Concat(members.Where(m => m.Item1.State == PackageState.Absent && Has(m, PackageAttributeNames.State)).Select(m => m.Item1.Name + "-"))
            .ToList();
        var purge = members.Where(m => m.Item1.State == PackageState.Purged && Has(m, PackageAttributeNames.State)).Select(m => m.Item1.Name).ToList();
        // apt clears a hold on a package it installs (a held package up- or downgraded): every changing package declared
        // held is held again after the call, not only those whose hold the plan shows changing.
        var hold = members.Where(m => m.Item1.Hold == true).Select(m => m.Item1.Name).ToList();
        var unhold = members.Where(m => Has(m, PackageAttributeNames.Hold) && m.Item1.Hold == false).Select(m => m.Item1.Name).ToList();
        var refresh = members.Any(m => Has(m, PackageAttributeNames.Lists));
        var wait = (int)members.Max(m => m.Item1.LockWait).TotalSeconds;

        var s = new StringBuilder();
        s.AppendLine($$"""
            export DEBIAN_FRONTEND=noninteractive LC_ALL=C
            rc_pk_log=$(mktemp)
            rc_pk_prc={{Sh.Quote(PolicyRcD)}}
            rc_pk_restore() {
              rm -f -- "$rc_pk_log"
              if [ -e "$rc_pk_prc.rc-saved" ] || [ -L "$rc_pk_prc.rc-saved" ]; then mv -f -- "$rc_pk_prc.rc-saved" "$rc_pk_prc"; else rm -f -- "$rc_pk_prc"; fi
            }
            rc_pk_run() {
              rc_pk_what=$1; shift
              rc_pk_rc=0; "$@" >"$rc_pk_log" 2>&1 </dev/null || rc_pk_rc=$?
              [ "$rc_pk_rc" -ne 0 ] || return 0
              tail -n 20 -- "$rc_pk_log" >&2
              if grep -q 'Could not get lock' -- "$rc_pk_log"; then
                printf '%s\n' "$rc_pk_what: another process holds the dpkg/apt lock; waited {{wait}}s (apt.lock_wait), giving up" >&2
              else
                printf '%s\n' "$rc_pk_what failed (exit $rc_pk_rc): apt's last lines are above" >&2
              fi
              exit 1
            }
            if [ ! -e "$rc_pk_prc.rc-saved" ] && { [ -e "$rc_pk_prc" ] || [ -L "$rc_pk_prc" ]; }; then mv -f -- "$rc_pk_prc" "$rc_pk_prc.rc-saved"; fi
            trap rc_pk_restore EXIT
            printf '#!/bin/sh\n# reconciler: no service starts during its apt call\nexit 101\n' > "$rc_pk_prc"
            chmod 0755 "$rc_pk_prc"
            """);
        var lockOption = Sh.Quote($"DPkg::Lock::Timeout={wait}");
        if (refresh)
        {
            s.AppendLine($"rc_pk_run 'apt-get update' apt-get -q -o {lockOption} update");
            // apt-get update succeeds on a host with no apt source, and only warns when no source could be fetched. With
            // no lists after it, the refresh stays due (the next read counts missing lists as due): a clear error here,
            // not an install apt cannot find or a verification that fails without saying why; no stamp is written.
            s.AppendLine($$"""
                if ! {{AptRead.HasPackageLists}}; then
                  tail -n 20 -- "$rc_pk_log" >&2
                  printf '%s\n' "apt-get update left no package lists on the host (no apt source, or none could be fetched: apt's last lines are above); apt.refresh cannot be met, nothing was installed or removed" >&2
                  exit 1
                fi
                """);
            s.AppendLine($"mkdir -p -- {Sh.Quote(Path.GetDirectoryName(AptRead.UpdateStamp)!)} && touch -- {Sh.Quote(AptRead.UpdateStamp)}");
            s.Append(UnshownRemovalsRefused(install, purge, Shown(members)));
        }

        var options = $"-y {AptRead.SharedOptions} -o Dpkg::Options::=--force-confold -o {lockOption}";
        if (install.Count > 0) s.AppendLine($"rc_pk_run 'apt-get install' apt-get {options} install -- {Words(install)}");
        if (purge.Count > 0) s.AppendLine($"rc_pk_run 'apt-get purge' apt-get {options} purge -- {Words(purge)}");
        if (unhold.Count > 0) s.AppendLine($"rc_pk_run 'apt-mark unhold' apt-mark unhold -- {Words(unhold)}");
        if (hold.Count > 0) s.AppendLine($"rc_pk_run 'apt-mark hold' apt-mark hold -- {Words(hold)}");
        return s.ToString();
    }

    /// <summary>
    /// The plan simulated apt against the lists the refresh replaces, and a package those lists lacked was planned
    /// without any simulation at all: what apt does beyond the declared packages with the updated lists was never shown.
    /// Before apt changes anything, it is simulated again; a package it would remove that the plan neither declares
    /// removed nor shows apt removing (a conflict the new lists bring, even a held package) refuses the whole call.
    /// </summary>
    private static string UnshownRemovalsRefused(IReadOnlyList<string> install, IReadOnlyList<string> purge, IReadOnlySet<string> shown)
    {
        var simulations = new[] { ("install", install), ("purge", purge) }.Where(c => c.Item2.Count > 0)
            .Select(c => $"apt-get -s -o Debug::NoLocking=1 {AptRead.ReadOnlyCache} {AptRead.SharedOptions} {c.Item1} -- {Words(c.Item2)}");
        return $$"""
            rc_pk_shown={{Sh.Quote(" " + string.Join(' ', shown.Order(StringComparer.Ordinal)) + " ")}}
            rc_pk_unshown=$( { {{string.Join("; ", simulations)}}; } 2>/dev/null | awk '$1 == "Remv" || $1 == "Purg" { sub(/:.*/, "", $2); print $2 }' | head -n 1000 |
              while read -r rc_pk_name; do case "$rc_pk_shown" in *" $rc_pk_name "*) ;; *) printf '%s ' "$rc_pk_name" ;; esac; done)
            if [ -n "$rc_pk_unshown" ]; then
              printf '%s\n' "apt would also remove ${rc_pk_unshown% }, which the plan did not show (the updated lists changed what apt does); nothing was installed or removed: plan again" >&2
              exit 1
            fi

            """;
    }

    /// <summary>The packages the plan shows removed: declared absent or purged, or shown as apt's removal of a dependent.</summary>
    private static HashSet<string> Shown(IEnumerable<(PackageResource R, ResourceChange C)> members) =>
        members.Where(m => m.R.State != PackageState.Present).Select(m => m.R.Name)
            .Concat(members.SelectMany(m => m.C.Attributes).Select(a => a.Name.Text)
                .Where(n => n.StartsWith(AptRemovesPrefix, StringComparison.Ordinal)).Select(n => n[AptRemovesPrefix.Length..]))
            .ToHashSet(StringComparer.Ordinal);

    private static readonly string AptRemovesPrefix = PackageAttributeNames.AptRemoves("").Text;

    /// <summary>A member's step: dpkg's state of its package is the declared one, whoever's step changed it.</summary>
    public static string Confirm(PackageResource desired, string carriedBy)
    {
        var fail = $"{{ printf '%s\\n' {Sh.Quote($"not applied: {desired.Name} is not as declared after the apt call in {carriedBy}")} >&2; exit 1; }}";
        var s = new StringBuilder();
        s.AppendLine($"rc_pk_s=$(dpkg-query -W -f='${{db:Status-Abbrev}}|${{Version}}|${{db:Status-Want}}' -- {Sh.Quote(desired.Name)} 2>/dev/null) || rc_pk_s=''");
        switch (desired.State)
        {
            case PackageState.Present:
                s.AppendLine($"case \"$rc_pk_s\" in ?[iWt]?'|'*) ;; *) {fail} ;; esac");
                if (desired.Version is { } v) s.AppendLine($"case \"$rc_pk_s\" in *{Sh.Quote($"|{v}|")}*) ;; *) {fail} ;; esac");
                break;
            case PackageState.Absent:
                s.AppendLine($"case \"$rc_pk_s\" in ''|?[nc]?'|'*) ;; *) {fail} ;; esac");
                break;
            case PackageState.Purged:
                s.AppendLine($"case \"$rc_pk_s\" in ''|?n?'|'*) ;; *) {fail} ;; esac");
                break;
        }

        if (desired.Hold == true) s.AppendLine($"case \"$rc_pk_s\" in *'|hold') ;; *) {fail} ;; esac");
        if (desired.Hold == false) s.AppendLine($"case \"$rc_pk_s\" in *'|hold') {fail} ;; esac");
        return s.ToString();
    }

    /// <summary>
    /// The carrier's plan note: what the one call does and what it will not do, short, as it shares the change's line
    /// (docs/specs.md tells how: --force-confold, a policy-rc.d refusing starts during the call, DPkg::Lock::Timeout).
    /// </summary>
    public static string Note(IReadOnlyList<PlannedChange> changing)
    {
        var wait = (int)changing.Max(p => ((PackageResource)p.Resource).LockWait).TotalSeconds;
        return $"one apt call for {changing.Count} package change(s): config files kept, no daemon started, dpkg lock waited for up to {wait}s";
    }

    /// <summary>Grammar-checked words (no space, quote or glob character), each quoted anyway.</summary>
    private static string Words(IEnumerable<string> words) => string.Join(' ', words.Select(Sh.Quote));
}
