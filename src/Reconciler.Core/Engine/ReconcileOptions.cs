namespace Reconciler.Core.Engine;

/// <summary>
/// How hard to push: hosts read in parallel (bounded), a time limit per host, and how long a host waits for a
/// firewall or interface change to be confirmed over a new connection before it restores the previous state.
/// </summary>
public sealed record ReconcileOptions(
    int MaxParallelHosts = 8,
    TimeSpan? HostTimeout = null,
    TimeSpan? ConfirmTimeout = null,
    string GuardRoot = "/var/lib/reconciler/guard")
{
    public TimeSpan EffectiveHostTimeout => HostTimeout ?? TimeSpan.FromMinutes(5);

    public TimeSpan EffectiveConfirmTimeout => ConfirmTimeout ?? TimeSpan.FromSeconds(120);
}
