using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.Packages;

/// <summary>
/// Debian packages through dpkg and apt. One read per host (<see cref="AptRead"/>) answers every package and carries
/// apt's own simulation of the declared state; the diff shows each named package's state, version and hold, and on
/// the first changing one what apt does beyond them (<see cref="PackageAttributeNames.AptInstalls"/>, removals marked
/// as deleting data). Every change on a host is one apt call (<see cref="Group"/>, <see cref="AptApply"/>).
/// </summary>
public sealed class PackagesProvider : ResourceProvider<PackageResource, PackageObserved>
{
    public override string Kind => PackageResource.KindName;

    protected override string ReadScript(IReadOnlyList<PackageResource> resources) => AptRead.Script(resources);

    protected override IReadOnlyList<PackageObserved> ParseFacts(IReadOnlyList<PackageResource> resources, FactAnswers answers)
    {
        var host = AptFactParser.Parse(answers[Kind], resources.Any(r => r.RefreshMaxAge is not null)) with
        {
            Named = resources.GroupBy(r => r.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().State, StringComparer.Ordinal),
        };
        var refreshDue = RefreshDue(resources, host);
        var refreshAt = refreshDue
            ? resources.Select((r, i) => (r, i)).Where(x => x.r.RefreshMaxAge is not null).MinBy(x => x.r.RefreshMaxAge!.Value).i
            : -1;
        var observed = resources.Select((r, i) => Observe(r, host, showsApt: false, showsRefresh: i == refreshAt) with { ListsRefreshDue = refreshDue }).ToList();
        var aptAt = resources.Select((r, i) => (r, i)).FirstOrDefault(x => PackageDiff.Of(x.r, observed[x.i]).Action.ChangesHost(), (null!, -1)).Item2;
        return aptAt < 0 ? observed : observed.Select((o, i) => i == aptAt ? o with { ShowsApt = true } : o).ToList();
    }

    protected override ResourceChange Diff(PackageResource desired, PackageObserved observed) => PackageDiff.Of(desired, observed);

    protected override string ApplyScript(PackageResource desired, PackageObserved observed, ResourceChange change) =>
        AptApply.Script([new PlannedChange(desired, observed, change)]) + "\n" + AptApply.Confirm(desired, desired.Address.ToString());

    /// <summary>
    /// One apt call per host, carried by the first changing package's step; the others confirm what it did (dpkg's
    /// state of each), so one failed install fails every member it took with it and the next plan shows the truth.
    /// </summary>
    protected override ChangeGroup? Group(IReadOnlyList<PlannedChange> planned)
    {
        var changing = planned.Where(p => p.Change.Action.ChangesHost()).ToList();
        if (changing.Count == 0) return null;
        var first = (PackageResource)changing[0].Resource;
        var carrier = new GroupStep(first, AptApply.Script(changing) + "\n" + AptApply.Confirm(first, first.Address.ToString()), AptApply.Note(changing));
        var note = ChangeGroup.CarriedNote(carrier);
        return new ChangeGroup(
            [carrier, .. changing.Skip(1).Select(p => new GroupStep(p.Resource, AptApply.Confirm((PackageResource)p.Resource, first.Address.ToString()), note))],
            []);
    }

    /// <summary>Lists older than the smallest max_age any package on the host declares, or none at all.</summary>
    public static bool RefreshDue(IReadOnlyList<PackageResource> resources, AptHostFacts host)
    {
        var maxAge = resources.Where(r => r.RefreshMaxAge is not null).Select(r => r.RefreshMaxAge!.Value).DefaultIfEmpty(TimeSpan.MaxValue).Min();
        return maxAge != TimeSpan.MaxValue && (host.ListsAge is not { } age || age > maxAge);
    }

    private static PackageObserved Observe(PackageResource r, AptHostFacts host, bool showsApt, bool showsRefresh) =>
        new(host.Dpkg.GetValueOrDefault(r.Name), host.Available.GetValueOrDefault(r.Name, []), host, showsApt, showsRefresh);
}
