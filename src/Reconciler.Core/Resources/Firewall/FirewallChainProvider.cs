using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Firewall;

/// <summary>
/// The managed chain of one family. Only what the reconciler owns is read or touched: its chain, the one jump from
/// INPUT and its <c>rc-</c> sets. The chain is rewritten whole from the spec in one <c>iptables-restore --noflush</c>
/// commit (checked with <c>--test</c> first), so rules added by hand inside it show as drift and are removed.
/// </summary>
public sealed class FirewallChainProvider : ResourceProvider<FirewallChainResource, FirewallChainObserved>
{
    public override string Kind => "firewall-chain";

    // Only INPUT and the managed chain are printed: a host with thousands of unrelated rules costs nothing extra.
    private const string OwnLines = """awk '($1 == "-N" || $1 == "-A") && ($2 == "INPUT" || $2 == "RECONCILER-INPUT")' """;

    protected override string ReadScript(IReadOnlyList<FirewallChainResource> resources)
    {
        var script = new StringBuilder(FirewallShell.PersistenceCheck).AppendLine();
        script.AppendLine("""
            if command -v ipset >/dev/null 2>&1; then ipset list -t 2>/dev/null | sed -n 's/^\(Name\|Type\|Header\): /H\t&/p'; fi
            """);
        for (var i = 0; i < resources.Count; i++)
        {
            var tool = FirewallNames.IptablesCommand(resources[i].Family);
            var file = FirewallNames.RulesFile(resources[i].Family);
            script.AppendLine($$"""
                if ! command -v {{tool}}-restore >/dev/null 2>&1; then printf 'E\t{{i}}\t%s\n' '{{tool}} is not installed (apt-get install iptables)'
                elif rc_out=$({{tool}} -w 5 -S 2>&1); then printf '%s\n' "$rc_out" | {{OwnLines}} | sed 's/^/L\t{{i}}\t/'
                else printf 'E\t{{i}}\t%s\n' "$(printf '%s' "$rc_out" | head -n 1)"; fi
                if [ -f {{file}} ]; then printf 'F\t{{i}}\n'
                  awk '/^\*/ { t = $1 } t == "*filter" && $1 == ":{{FirewallNames.Chain}}" { print "-N {{FirewallNames.Chain}}" } t == "*filter"' {{file}} | {{OwnLines}} | sed 's/^/P\t{{i}}\t/'
                fi
                """);
        }

        return script.ToString();
    }

    protected override IReadOnlyList<FirewallChainObserved> ParseFacts(IReadOnlyList<FirewallChainResource> resources, FactAnswers answers)
    {
        var lines = answers[Kind];
        var persistence = lines.Contains("NP");
        var headers = FirewallParsing.SetHeaders(lines.Where(l => l.StartsWith("H\t", StringComparison.Ordinal)).Select(l => l[2..]));
        var byIndex = lines.Select(l => l.Split('\t', 3))
            .Where(f => f.Length >= 2 && f[0] is "L" or "P" or "E" or "F" && int.TryParse(f[1], out _))
            .ToLookup(f => int.Parse(f[1]));
        return resources.Select((r, i) =>
        {
            var facts = byIndex[i].ToList();
            var error = facts.FirstOrDefault(f => f[0] == "E") is { Length: 3 } e ? e[2] : null;
            var live = FirewallParsing.Chain(facts.Where(f => f[0] == "L" && f.Length == 3).Select(f => f[2]));
            var persisted = facts.Any(f => f[0] == "F")
                ? FirewallParsing.Chain(facts.Where(f => f[0] == "P" && f.Length == 3).Select(f => f[2]))
                : null;
            var family = FirewallNames.IpsetFamily(r.Family);
            var sets = headers.Where(h => h.Key.StartsWith(FirewallNames.SetPrefix, StringComparison.Ordinal) && h.Value.Family == family)
                .Select(h => h.Key).Order(StringComparer.Ordinal).ToList();
            return new FirewallChainObserved(error, live, persisted, sets, persistence);
        }).ToList();
    }

    protected override ResourceChange Diff(FirewallChainResource desired, FirewallChainObserved observed)
    {
        if (observed.Error is not null)
        {
            return ResourceChange.Blocked(desired, $"cannot read the {FirewallNames.IptablesCommand(desired.Family)} ruleset: {observed.Error}");
        }

        var changes = new List<AttributeChange>();
        if (!observed.Live.Exists)
        {
            changes.Add(AttributeChange.Of(FirewallChainAttributeNames.Chain, null, $"{FirewallNames.Chain} ({Rules(desired.Rules.Count)})"));
        }

        var (removed, added) = LineDiff.Between(observed.Live.Rules, desired.Rules);
        // A rule nobody declared is shown as live → (unset): drift reports name it, and apply removes it.
        changes.AddRange(removed.Select(rule => AttributeChange.Of(FirewallChainAttributeNames.Rule, rule, null)));
        changes.AddRange(added.Select(rule => AttributeChange.Of(FirewallChainAttributeNames.Rule, null, rule)));
        if (!observed.Live.JumpIsFirst)
        {
            changes.Add(AttributeChange.Of(FirewallChainAttributeNames.Jump, Jump(observed.Live), $"INPUT rule 1 → {FirewallNames.Chain}"));
        }

        var stale = observed.LiveSets.Where(s => !desired.Sets.Contains(s)).ToList();
        changes.AddRange(stale.Select(s => AttributeChange.Of(FirewallChainAttributeNames.StaleSet, s, null)));

        var file = FirewallNames.RulesFile(desired.Family);
        if (observed.Persisted is not { Exists: true } persisted)
        {
            changes.Add(AttributeChange.Of(
                FirewallChainAttributeNames.Persisted,
                observed.Persisted is null ? null : $"no {FirewallNames.Chain} ({file})",
                $"{Rules(desired.Rules.Count)} and the jump from INPUT ({file})"));
        }
        else
        {
            var (gone, missing) = LineDiff.Between(persisted.Rules, desired.Rules);
            changes.AddRange(gone.Select(rule => AttributeChange.Of(FirewallChainAttributeNames.PersistedRule, rule, null)));
            changes.AddRange(missing.Select(rule => AttributeChange.Of(FirewallChainAttributeNames.PersistedRule, null, rule)));
            if (!persisted.JumpIsFirst)
            {
                changes.Add(AttributeChange.Of(FirewallChainAttributeNames.PersistedJump, Jump(persisted), $"INPUT rule 1 → {FirewallNames.Chain}"));
            }
        }

        if (changes.Count == 0)
        {
            return ResourceChange.NoOp(desired);
        }

        return new ResourceChange(
            desired.Address,
            observed.Live.Exists ? ChangeAction.Update : ChangeAction.Create,
            changes,
            desired.Source,
            observed.PersistenceInstalled ? null : FirewallShell.NoPersistenceNote);
    }

    protected override string ApplyScript(FirewallChainResource desired, FirewallChainObserved observed, ResourceChange change)
    {
        var tool = FirewallNames.IptablesCommand(desired.Family);
        var script = new StringBuilder(FirewallShell.Persist).AppendLine();
        var live = change.Attributes.Any(a => a.Name == FirewallChainAttributeNames.Chain || a.Name == FirewallChainAttributeNames.Rule || a.Name == FirewallChainAttributeNames.Jump);
        if (live)
        {
            // As base64, not a here-document: a rule is text from the spec, and a line of it equal to the delimiter would end
            // the document and run what follows as root (found by the quoting test's delimiter discovery).
            script.AppendLine("rc_fw_rules=$(mktemp)");
            script.AppendLine($"printf '%s' {Sh.Quote(Sh.Base64(RestoreSnippet(desired, observed.Live)))} | base64 -d > \"$rc_fw_rules\"");
            // --test first: a ruleset the kernel would refuse is reported, and nothing of it is loaded.
            script.AppendLine($"if ! rc_err=$({tool}-restore -w 5 --test --noflush < \"$rc_fw_rules\" 2>&1); then rm -f -- \"$rc_fw_rules\"; echo \"{tool}-restore --test refused the rules: $rc_err\" >&2; exit 1; fi");
            script.AppendLine($"if ! rc_err=$({tool}-restore -w 5 --noflush < \"$rc_fw_rules\" 2>&1); then rm -f -- \"$rc_fw_rules\"; echo \"{tool}-restore failed: $rc_err\" >&2; exit 1; fi");
            script.AppendLine("rm -f -- \"$rc_fw_rules\"");
        }

        // Destroyed only now that the rewritten chain no longer references them.
        foreach (var stale in change.Attributes.Where(a => a.Name == FirewallChainAttributeNames.StaleSet).Select(a => a.Before).OfType<PlanValue.Text>())
        {
            script.AppendLine($"rc_fw_destroy {Sh.Quote(stale.Value)}");
        }

        script.AppendLine("rc_fw_persist");
        return script.ToString();
    }

    /// <summary>
    /// The <c>iptables-restore --noflush</c> input: declaring the chain flushes it (or creates it), the declared rules
    /// refill it, and the jump is moved to INPUT's first rule when it is not there already — all one commit.
    /// </summary>
    public static string RestoreSnippet(FirewallChainResource desired, ChainState live)
    {
        var text = new StringBuilder("*filter\n");
        text.Append($":{FirewallNames.Chain} - [0:0]\n");
        foreach (var rule in desired.Rules)
        {
            text.Append(rule).Append('\n');
        }

        if (!live.JumpIsFirst)
        {
            foreach (var _ in live.JumpPositions)
            {
                text.Append($"-D INPUT -j {FirewallNames.Chain}\n");
            }

            text.Append($"-I INPUT 1 -j {FirewallNames.Chain}\n");
        }

        return text.Append("COMMIT\n").ToString();
    }

    private static string Rules(int n) => n == 1 ? "1 rule" : $"{n} rules";

    private static string Jump(ChainState state) => state.JumpPositions.Count switch
    {
        0 => "none",
        _ => "INPUT rule " + string.Join(", ", state.JumpPositions) + $" → {FirewallNames.Chain}",
    };
}
