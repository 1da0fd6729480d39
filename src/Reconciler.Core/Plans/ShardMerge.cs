using Reconciler.Core.Model;

namespace Reconciler.Core.Plans;

/// <summary>
/// Puts the parts of a <c>--shard K/N</c> run back together into the plan the unsharded run would have made: the hosts
/// in the run's order, the run's commit and whole digest. Parts that cannot be of one run are refused, in one line
/// naming the files: different commits or specs, a mix of plan and drift, disagreeing N, a host listed twice, a host in
/// a part its K/N does not give it, a shard twice, a shard missing.
/// </summary>
public static class ShardMerge
{
    public sealed record Part(string File, Plan Plan);

    /// <returns>The merged plan, or null with the reason in <paramref name="error"/>.</returns>
    public static Plan? Merge(IReadOnlyList<Part> parts, out string? error)
    {
        error = Refusal(parts);
        if (error is not null) return null;

        var first = parts.OrderBy(p => p.Plan.Shard!.Shard.Index).First().Plan;
        var run = first.Shard!;
        var order = run.Hosts.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i, StringComparer.Ordinal);
        var hosts = parts.SelectMany(p => p.Plan.Hosts).ToList();
        var stray = hosts.Select(h => h.Host).Where(h => !order.ContainsKey(h)).ToList();
        var planned = hosts.Select(h => h.Host).ToHashSet(StringComparer.Ordinal);
        var unplanned = run.Hosts.Where(h => !planned.Contains(h)).ToList();
        if (stray.Count > 0 || unplanned.Count > 0 || planned.Count != hosts.Count)
        {
            error = "the shards' hosts do not add up to the run's hosts"
                + (stray.Count > 0 ? $"; not in the run: {string.Join(", ", stray)}" : "")
                + (unplanned.Count > 0 ? $"; in no shard: {string.Join(", ", unplanned)}" : "")
                + (planned.Count != hosts.Count ? "; a host is in two shards" : "");
            return null;
        }

        return new Plan(hosts.OrderBy(h => order[h.Host]).ToList())
        {
            Commit = first.Commit,
            BaseCommit = first.BaseCommit,
            KeyId = first.KeyId,
            // Without a plan key each shard digested with its own throw-away key: the first shard's stands for the run,
            // as unverifiable as an unsharded run's would be.
            Digest = run.Digest,
            RemovedHosts = first.RemovedHosts,
        };
    }

    private static string? Refusal(IReadOnlyList<Part> parts)
    {
        if (parts.Count == 0) return "no shard files given";
        if (parts.FirstOrDefault(p => p.Plan.Shard is null) is { } whole)
        {
            return $"{whole.File} is not a shard (it was made without --shard K/N)";
        }

        var first = parts[0];
        var run = first.Plan.Shard!;
        foreach (var part in parts.Skip(1))
        {
            var shard = part.Plan.Shard!;
            var why = shard.Run != run.Run ? $"{part.File} is a {shard.Run} shard and {first.File} a {run.Run} shard; merge the shards of one run"
                : shard.Shard.Count != run.Shard.Count ? $"{part.File} is shard {shard.Shard} and {first.File} is shard {run.Shard}: the shards disagree on N"
                : part.Plan.Commit != first.Plan.Commit ? $"{part.File} was made at commit {Shown(part.Plan.Commit)} and {first.File} at {Shown(first.Plan.Commit)}"
                : part.Plan.BaseCommit != first.Plan.BaseCommit ? $"{part.File} compares with base {Shown(part.Plan.BaseCommit)} and {first.File} with {Shown(first.Plan.BaseCommit)}"
                : part.Plan.KeyId != first.Plan.KeyId ? $"{part.File} and {first.File} were made with different plan keys ({part.Plan.KeyId ?? "none"}, {first.Plan.KeyId ?? "none"})"
                : (first.Plan.KeyId is not null && shard.Digest != run.Digest) || !shard.Hosts.SequenceEqual(run.Hosts, StringComparer.Ordinal)
                    ? $"{part.File} and {first.File} were made from different specs or host selections (their desired-state digests or hosts differ)"
                : !part.Plan.RemovedHosts.SequenceEqual(first.Plan.RemovedHosts, StringComparer.Ordinal)
                    ? $"{part.File} and {first.File} disagree on the hosts the change removes"
                : null;
            if (why is not null) return why;
        }

        if (run.Hosts.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            return $"{first.File} lists host '{repeated.Key}' twice among the run's hosts";
        }

        // A part holds exactly the hosts its K/N gives it: a part that claims another shard's host (or another
        // shard's number) is not what a --shard run wrote, even when the parts' hosts still add up.
        foreach (var part in parts)
        {
            var shard = part.Plan.Shard!.Shard;
            if (part.Plan.Hosts.FirstOrDefault(h => !shard.Owns(h.Host)) is { } foreign)
            {
                return $"{part.File} is shard {shard} but holds host '{foreign.Host}', which falls to shard {Shard.Of(foreign.Host, shard.Count)}/{shard.Count}";
            }
        }

        if (parts.GroupBy(p => p.Plan.Shard!.Shard.Index).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return $"shard {twice.Key}/{run.Shard.Count} is given twice: {string.Join(" and ", twice.Select(p => p.File))}";
        }

        var missing = Enumerable.Range(1, run.Shard.Count).Except(parts.Select(p => p.Plan.Shard!.Shard.Index)).ToList();
        return missing.Count > 0
            ? $"missing shard{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)} of {run.Shard.Count}: every shard's file is needed"
            : null;
    }

    private static string Shown(string? commit) => commit is null ? "none (a directory)" : commit[..Math.Min(7, commit.Length)];
}
