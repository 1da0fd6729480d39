using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Sysctl;

public sealed class SysctlProvider : ResourceProvider<SysctlResource, SysctlObserved>
{
    public override string Kind => SysctlResource.KindName;

    protected override string ReadScript(IReadOnlyList<SysctlResource> resources)
    {
        var script = new StringBuilder();
        for (var i = 0; i < resources.Count; i++)
        {
            script.AppendLine($"if [ -f {Sh.Quote(resources[i].PersistFile)} ]; then printf 'M\\t{i}\\n'; fi");
        }

        return script.ToString();
    }

    protected override IReadOnlyList<FactQuery> SharedQueries(IReadOnlyList<SysctlResource> resources) =>
        SysctlFacts.Queries(resources.Select(r => r.Key).ToList());

    protected override IReadOnlyList<SysctlObserved> ParseFacts(IReadOnlyList<SysctlResource> resources, FactAnswers answers)
    {
        var facts = SysctlFacts.Parse(resources.Select(r => r.Key).ToList(), answers);
        var lines = answers[Kind];
        var managed = ByIndex(lines.Where(l => l.StartsWith("M\t", StringComparison.Ordinal)), resources.Count);
        return facts.Select((f, i) => new SysctlObserved(f.Live, f.Persisted, f.PersistedIn, managed[i].Any())
        {
            LiveClosed = f.LiveClosed,
            PersistedClosed = f.PersistedClosed,
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
            PlanValue before = observed.Persisted is null ? new PlanValue.Absent()
                : observed.PersistedClosed ? new PlanValue.Withheld($"{observed.PersistedIn} is not world-readable", "value differs")
                : new PlanValue.Text($"{observed.Persisted} ({observed.PersistedIn})");
            changes.Add(new AttributeChange(SysctlAttributeNames.Persisted, before, new PlanValue.Text($"{want} ({desired.PersistFile})")));
        }

        if (observed.Live != want)
        {
            changes.Add(new AttributeChange(SysctlAttributeNames.Live,
                observed.LiveClosed ? new PlanValue.Withheld($"{desired.ProcPath} is not world-readable", "value differs") : PlanValue.Of(observed.Live), PlanValue.Of(want)));
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
