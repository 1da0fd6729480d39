using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Sysctl;

public sealed class SysctlProvider : ResourceProvider<SysctlResource, SysctlObserved>
{
    public override string Kind => SysctlResource.KindName;

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

    protected override string ReadScript(IReadOnlyList<SysctlResource> resources)
    {
        var script = new StringBuilder(PersistedScan).AppendLine();
        for (var i = 0; i < resources.Count; i++)
        {
            var r = resources[i];
            script.AppendLine(
                $"if [ -r {Sh.Quote(r.ProcPath)} ]; then printf 'L\\t{i}\\t%s\\n' \"$(timeout {HostText.ReadSeconds} head -c 4096 -- {Sh.Quote(r.ProcPath)} | tr '\\t\\n' '  ')\"; " +
                $"case \"$(stat -L -c %A -- {Sh.Quote(r.ProcPath)})\" in ???????r*) ;; *) printf 'U\\t{i}\\n' ;; esac; fi");
            script.AppendLine($"if [ -f {Sh.Quote(r.PersistFile)} ]; then printf 'M\\t{i}\\n'; fi");
        }

        return script.ToString();
    }

    protected override IReadOnlyList<SysctlObserved> ParseFacts(IReadOnlyList<SysctlResource> resources, IReadOnlyList<string> lines)
    {
        // Persisted assignments arrive in boot order, keyed by path form; the last one wins.
        var persisted = new Dictionary<string, (string File, string Value)>();
        foreach (var fields in lines.Select(l => l.Split('\t', 4)).Where(f => f[0] == "P" && f.Length == 4))
        {
            persisted[fields[1]] = (fields[2], fields[3]);
        }

        var closedFiles = lines.Where(l => l.StartsWith("Q\t", StringComparison.Ordinal)).Select(l => l[2..]).ToHashSet(StringComparer.Ordinal);
        var byIndex = ByIndex(lines.Where(l => !l.StartsWith("P\t", StringComparison.Ordinal) && !l.StartsWith("Q\t", StringComparison.Ordinal)).ToList());
        return resources.Select((r, i) =>
        {
            var facts = byIndex[i].ToList();
            var live = facts.FirstOrDefault(f => f[0] == "L") is { } l ? SysctlResource.Normalize(l.Length > 2 ? l[2] : "") : null;
            var found = persisted.TryGetValue(r.ProcPath["/proc/sys/".Length..], out var p);
            return new SysctlObserved(live, found ? p.Value : null, found ? p.File : null, facts.Any(f => f[0] == "M"))
            {
                LiveClosed = facts.Any(f => f[0] == "U"),
                PersistedClosed = found && closedFiles.Contains(p.File),
            };
        }).ToList();
    }

    protected override ResourceChange Diff(SysctlResource desired, SysctlObserved observed)
    {
        if (observed.Live is null)
        {
            return ResourceChange.Blocked(desired, $"the kernel on this host has no parameter {desired.Key} ({desired.ProcPath} does not exist)");
        }

        var want = SysctlResource.Normalize(desired.Value);
        var changes = new List<AttributeChange>();
        if (observed.Persisted != want)
        {
            var before = observed.Persisted is null ? null
                : observed.PersistedClosed ? AttributeChange.Withheld($"{observed.PersistedIn} is not world-readable", "value differs")
                : $"{observed.Persisted} ({observed.PersistedIn})";
            changes.Add(new AttributeChange("persisted", before, $"{want} ({desired.PersistFile})"));
        }

        if (observed.Live != want)
        {
            changes.Add(new AttributeChange("live",
                observed.LiveClosed ? AttributeChange.Withheld($"{desired.ProcPath} is not world-readable", "value differs") : observed.Live, want));
        }

        if (changes.Count == 0)
        {
            return ResourceChange.NoOp(desired);
        }

        var action = observed.Persisted is null && !observed.ManagedFileExists ? ChangeAction.Create : ChangeAction.Update;
        return new ResourceChange(desired.Address, action, changes, desired.Source);
    }

    protected override string ApplyScript(SysctlResource desired, SysctlObserved observed, ResourceChange change)
    {
        var want = SysctlResource.Normalize(desired.Value);
        var persisted = $"# Managed by reconciler; local edits are overwritten.\n{desired.Key} = {want}\n";
        // Live first: if the kernel rejects the value, nothing is persisted that would fail again at boot.
        return $$"""
            printf '%s\n' {{Sh.Quote(want)}} > {{Sh.Quote(desired.ProcPath)}}
            rc_live=$(tr '\t\n' '  ' < {{Sh.Quote(desired.ProcPath)}} | sed 's/ *$//; s/  */ /g')
            [ "$rc_live" = {{Sh.Quote(want)}} ] || { echo {{Sh.Quote($"kernel kept {desired.Key} = ")}}"$rc_live" >&2; exit 1; }
            rc_write {{Sh.Quote(desired.PersistFile)}} {{Sh.Quote(Sh.Base64(persisted))}}
            chmod 0644 {{Sh.Quote(desired.PersistFile)}}
            """;
    }
}
