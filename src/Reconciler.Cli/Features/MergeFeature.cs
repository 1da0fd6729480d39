using Reconciler.Cli.Views;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Features;

/// <param name="Files">Every shard's JSON: plan --shard K/N --format json --out FILE, or drift --shard K/N's drift.json.</param>
/// <param name="Plan">Where a merged plan goes (its format, file and comment).</param>
/// <param name="Drift">Where a merged drift report goes (its directory and issues); its specs and hosts are not read.</param>
internal sealed record MergeRequest(IReadOnlyList<string> Files, PlanOutput Plan, DriftRequest Drift);

/// <summary>
/// The fan-in of a sharded run (a CI matrix): reads the N shards' JSON, refuses parts that are not one run (see
/// <see cref="ShardMerge"/>), and produces what the unsharded run would have — the plan in any format and its comment,
/// or the drift report directory and issues — through the same code that run uses. No host is contacted and no
/// spec or secret is read: the shards did that.
/// </summary>
internal sealed class MergeFeature(PlanFeature plans, DriftFeature drift, Terminal terminal)
{
    public async Task<int> RunAsync(MergeRequest request, CancellationToken ct)
    {
        var parts = new List<ShardMerge.Part>();
        var readAt = DateTimeOffset.MaxValue;
        foreach (var file in request.Files)
        {
            try
            {
                var (plan, generatedAt) = PlanFile.Read(file);
                parts.Add(new(file, plan));
                // The merged report says when the live state was read: by the earliest shard.
                if (generatedAt < readAt) readAt = generatedAt;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                terminal.Error.WriteLine($"merge: {file}: {e.Message}");
                return ExitCodes.Error;
            }
        }

        if (ShardMerge.Merge(parts, out var refusal) is not { } merged)
        {
            terminal.Error.WriteLine($"merge: refused: {refusal}");
            return ExitCodes.Error;
        }

        if (parts[0].Plan.Shard!.Run == PlanShard.DriftRun)
        {
            if (drift.IssuesUnconfigured(request.Drift, "nothing was merged")) return ExitCodes.Error;
            return await drift.ReportAsync(request.Drift, merged, readAt, ct);
        }

        if (request.Drift.Issues)
        {
            terminal.Error.WriteLine("merge: --issues is for drift shards; these are plan shards");
            return ExitCodes.Error;
        }

        return await plans.ShowAsync(merged, readAt, request.Plan, ct);
    }
}
