using Reconciler.Core.Model;

namespace Reconciler.Core.Plans;

/// <summary>
/// What a shard's plan (or drift report) records of the whole run it is one part of, so that <c>reconciler merge</c> can
/// refuse parts of different runs and put the parts back in the order the unsharded run would have had.
/// </summary>
/// <param name="Run">"plan" or "drift": the two are never merged together.</param>
/// <param name="Digest">The desired-state digest of every selected host (the unsharded run's digest), not only this shard's.</param>
/// <param name="Hosts">Every selected host, in the unsharded run's order.</param>
public sealed record PlanShard(Shard Shard, string Run, string? Digest, IReadOnlyList<string> Hosts)
{
    public const string PlanRun = "plan";
    public const string DriftRun = "drift";

    /// <summary>The record for <paramref name="shard"/> of <paramref name="whole"/>, the state after --hosts and before sharding.</summary>
    public static PlanShard Of(DesiredState whole, Shard shard, string run, PlanKey key) =>
        new(shard, run, DesiredStateDigest.Of(whole, key), whole.Hosts.Select(h => h.Host.Name).ToList());
}
