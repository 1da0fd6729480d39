using Reconciler.Core.Model;

namespace Reconciler.Core.Engine;

/// <summary>
/// How hard to push: hosts read in parallel (bounded), a time limit per host, and how long a host waits for a
/// firewall or interface change to be confirmed over a new connection before it restores the previous state.
/// <see cref="StateRoot"/> is where each host keeps the reconciler's own records: the applied commit and the apply lock.
/// <see cref="PlanKey"/> keys the digests and fingerprints of plans (see <see cref="Model.PlanKey"/>).
/// </summary>
public sealed record ReconcileOptions(
    int MaxParallelHosts = ReconcileOptions.DefaultParallelHosts,
    TimeSpan? HostTimeout = null,
    TimeSpan? ConfirmTimeout = null,
    string GuardRoot = "/var/lib/reconciler/guard",
    string StateRoot = "/var/lib/reconciler",
    TimeSpan? LockTtl = null,
    string? Controller = null,
    PlanKey? PlanKey = null,
    long RetainedFactsChars = RetainedFacts.DefaultChars)
{
    /// <summary>The configured plan key, else this process's ephemeral one (saved plans then cannot be applied).</summary>
    public PlanKey EffectivePlanKey => PlanKey ?? Model.PlanKey.Ephemeral;

    /// <summary>A lock older than this was left by a run that crashed (no apply takes this long) and is taken over.</summary>
    public TimeSpan EffectiveLockTtl => LockTtl ?? DefaultLockTtl;

    public static TimeSpan DefaultLockTtl { get; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Hosts worked on at once unless --parallel or the inventory's <c>defaults.parallel</c> says otherwise. A host's
    /// session spends nearly all its time waiting for the host (connecting, the fact script, apply), not on the
    /// controller's CPU, so more than the controller's cores run at once; 32 keeps one controller's open connections,
    /// and the file descriptors, threads and output budget they hold, well inside a CI runner's limits.
    /// </summary>
    public const int DefaultParallelHosts = 32;

    /// <summary>The bounds of --parallel and <c>defaults.parallel</c>.</summary>
    public const int MinParallelHosts = 1, ParallelHostsLimit = 1000;

    /// <summary>Who holds a lock or applied a commit, as written on the host: this machine and process.</summary>
    public string EffectiveController => Controller ?? $"{Environment.MachineName} pid {Environment.ProcessId}";

    public TimeSpan EffectiveHostTimeout => HostTimeout ?? TimeSpan.FromMinutes(5);

    public TimeSpan EffectiveConfirmTimeout => ConfirmTimeout ?? TimeSpan.FromSeconds(120);

    /// <summary>What the controller reaches besides the hosts (a zone's nameservers), for kinds that keep state there.</summary>
    public ControllerPorts Outside { get; init; } = ControllerPorts.None;

    /// <summary>DNS lookups one run may make, all hosts and domains together (<see cref="Dns.BudgetedDns"/>).</summary>
    public int DnsLookupsPerRun { get; init; } = Dns.BudgetedDns.DefaultMaxLookups;
}
