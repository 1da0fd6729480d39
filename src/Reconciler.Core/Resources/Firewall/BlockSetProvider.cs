using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Firewall;

/// <summary>
/// Block sets as ipsets of type hash:net. Read with one <c>ipset save</c> per set (never one command per entry),
/// updated atomically: the new members are restored into a staging set which is then swapped with the live one, so
/// packets always meet the old or the new set, never an empty or half-filled one.
/// </summary>
public sealed class BlockSetProvider : ResourceProvider<BlockSetResource, BlockSetObserved>
{
    public override string Kind => BlockSetResource.KindName;

    protected override string ReadScript(IReadOnlyList<BlockSetResource> resources)
    {
        var names = string.Join(' ', resources.Select(r => Sh.Quote(r.SetName)));
        return $$"""
            {{FirewallShell.PersistenceCheck}}
            command -v ipset >/dev/null 2>&1 || exit 0
            printf 'IP\n'
            ipset list -t 2>/dev/null | sed -n 's/^\(Name\|Type\|Header\): /H\t&/p'
            for rc_n in {{names}}; do
              if ipset -q list -n "$rc_n" >/dev/null; then ipset save "$rc_n" | sed 's/^/L\t/'; fi
            done
            if [ -f {{FirewallNames.IpsetsFile}} ]; then
              awk -v names={{Sh.Quote(string.Join(' ', resources.Select(r => r.SetName)))}} '
                BEGIN { n = split(names, list, " "); for (i = 1; i <= n; i++) want[list[i]] = 1 }
                ($1 == "create" || $1 == "add") && ($2 in want) { print "P\t" $0 }' {{FirewallNames.IpsetsFile}}
            fi
            """;
    }

    protected override IReadOnlyList<BlockSetObserved> ParseFacts(IReadOnlyList<BlockSetResource> resources, FactAnswers answers)
    {
        var lines = answers[Kind];
        var installed = false;
        var persistence = false;
        var headers = new List<string>();
        var live = new List<string>();
        var persisted = new List<string>();
        foreach (var line in lines)
        {
            if (line == "IP") installed = true;
            else if (line == "NP") persistence = true;
            else if (line.StartsWith("H\t", StringComparison.Ordinal)) headers.Add(line[2..]);
            else if (line.StartsWith("L\t", StringComparison.Ordinal)) live.Add(line[2..]);
            else if (line.StartsWith("P\t", StringComparison.Ordinal)) persisted.Add(line[2..]);
        }

        var wanted = resources.Select(r => r.SetName).ToHashSet(StringComparer.Ordinal);
        var header = FirewallParsing.SetHeaders(headers);
        var liveMembers = FirewallParsing.SetMembers(live, wanted);
        var persistedMembers = FirewallParsing.SetMembers(persisted, wanted);
        return resources.Select(r =>
        {
            var has = header.TryGetValue(r.SetName, out var h);
            return new BlockSetObserved(
                installed,
                has ? h.Type : null,
                has ? h.Family : null,
                has ? liveMembers.GetValueOrDefault(r.SetName) ?? new HashSet<string>() : null,
                persistedMembers.GetValueOrDefault(r.SetName),
                persistence);
        }).ToList();
    }

    protected override ResourceChange Diff(BlockSetResource desired, BlockSetObserved observed)
    {
        if (!observed.IpsetInstalled)
        {
            return ResourceChange.Blocked(desired, "ipset is not installed on this host (apt-get install ipset)");
        }

        var family = FirewallNames.IpsetFamily(desired.Family);
        if (observed.Live is not null && (observed.LiveType != "hash:net" || observed.LiveFamily != family))
        {
            return ResourceChange.Blocked(desired,
                $"exists as {observed.LiveType} family {observed.LiveFamily ?? "(none)"}, declared as hash:net family {family}; a set of another type is not replaced automatically");
        }

        var changes = new List<AttributeChange>();
        var live = EntryDiff.Between(desired.Entries, observed.Live);
        if (observed.Live is null || !live.IsEmpty)
        {
            changes.Add(AttributeChange.Of(BlockSetAttributeNames.Live, observed.Live is null ? null : EntryDiff.Count(observed.Live.Count), live.Summary()));
        }

        var persisted = EntryDiff.Between(desired.Entries, observed.Persisted);
        if (observed.Persisted is null || !persisted.IsEmpty)
        {
            changes.Add(AttributeChange.Of(
                BlockSetAttributeNames.Persisted,
                observed.Persisted is null ? null : $"{EntryDiff.Count(observed.Persisted.Count)} ({FirewallNames.IpsetsFile})",
                $"{persisted.Summary()} ({FirewallNames.IpsetsFile})"));
        }

        if (changes.Count == 0)
        {
            return ResourceChange.NoOp(desired);
        }

        return new ResourceChange(
            desired.Address,
            observed.Live is null ? ChangeAction.Create : ChangeAction.Update,
            changes,
            desired.Source,
            observed.PersistenceInstalled ? null : FirewallShell.NoPersistenceNote);
    }

    protected override string ApplyScript(BlockSetResource desired, BlockSetObserved observed, ResourceChange change)
    {
        var script = new StringBuilder(FirewallShell.Persist).AppendLine();
        if (change.Attributes.Any(a => a.Name == BlockSetAttributeNames.Live))
        {
            var creating = observed.Live is null;
            var target = creating ? desired.SetName : FirewallNames.TempSetName(desired.SetName);
            if (!creating)
            {
                // A staging set left by an interrupted run is reused: -exist, then flushed.
                script.AppendLine($"ipset -q destroy {Sh.Quote(target)} || true");
            }

            // One restore for the whole set; entries are validated addresses, so the quoted here-document is safe.
            script.AppendLine("ipset restore <<'RC_IPSET'");
            script.Append($"create {target} hash:net family {FirewallNames.IpsetFamily(desired.Family)} maxelem {desired.MaxElements}\n");
            foreach (var entry in desired.Entries)
            {
                script.Append("add ").Append(target).Append(' ').Append(entry).Append('\n');
            }

            script.AppendLine("RC_IPSET");
            if (!creating)
            {
                script.AppendLine($"ipset swap {Sh.Quote(target)} {Sh.Quote(desired.SetName)}");
                script.AppendLine($"ipset destroy {Sh.Quote(target)}");
            }
        }

        script.AppendLine("rc_fw_persist");
        return script.ToString();
    }
}
