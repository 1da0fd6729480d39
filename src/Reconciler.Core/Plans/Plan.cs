namespace Reconciler.Core.Plans;

/// <summary>Plan data only: what was observed and what will change, per host. Views render it; the engine never prints.</summary>
public sealed record Plan(IReadOnlyList<HostPlan> Hosts)
{
    /// <summary>The git commit of the desired state planned; null when the specs came from a plain directory.</summary>
    public string? Commit { get; init; }

    /// <summary>Digest of the desired state of exactly the hosts in this plan (<see cref="Model.DesiredStateDigest"/>).</summary>
    public string? Digest { get; init; }

    /// <summary>The <see cref="Model.PlanKey.Id"/> of the key the digests were made with; null when none was configured.</summary>
    public string? KeyId { get; init; }

    /// <summary>For a plan of a change (pull request): the base commit compared against; null otherwise.</summary>
    public string? BaseCommit { get; init; }

    /// <summary>For a plan of a change: hosts declared at base and no longer at head. They are not planned or touched.</summary>
    public IReadOnlyList<string> RemovedHosts { get; init; } = [];

    /// <summary>Set on the part a <c>--shard K/N</c> run planned; null for a whole run (and for shards merged back into one).</summary>
    public PlanShard? Shard { get; init; }

    public bool HasChanges => Hosts.Any(h => h.HasChanges);

    public bool HasErrors => Hosts.Any(h => h.HasErrors);

    public int Count(ChangeAction action) => Hosts.Sum(h => h.Count(action));
}
