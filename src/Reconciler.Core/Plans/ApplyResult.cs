namespace Reconciler.Core.Plans;

public sealed record ApplyResult(IReadOnlyList<HostApplyResult> Hosts)
{
    public bool Succeeded => Hosts.All(h => h.Succeeded);
}
