namespace Reconciler.Core.Plans;

/// <summary>Plan data only: what was observed and what will change, per host. Views render it; the engine never prints.</summary>
public sealed record Plan(IReadOnlyList<HostPlan> Hosts)
{
    public bool HasChanges => Hosts.Any(h => h.HasChanges);

    public bool HasErrors => Hosts.Any(h => h.HasErrors);

    public int Count(ChangeAction action) => Hosts.Sum(h => h.Count(action));
}
