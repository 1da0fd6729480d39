using Reconciler.Core.Model;

namespace Reconciler.Core.Plans;

/// <summary>
/// Whether a saved plan still describes today's desired state. The digests decide: a plan made at a pull request's
/// head is still the plan for the merge commit when the specs are identical, so a different commit alone is not a
/// reason to refuse — but any host whose desired state differs is. The digests are keyed (<see cref="PlanKey"/>):
/// apply must hold the key the plan was made with, and says so plainly when it does not.
/// </summary>
public static class SavedPlan
{
    /// <summary>One line saying why the plan cannot be applied to <paramref name="current"/>; null when it can.</summary>
    /// <param name="selected">The plan's hosts this apply covers (all of them unless --hosts narrows it).</param>
    public static string? Mismatch(Plan saved, IReadOnlyCollection<string> selected, DesiredState current, PlanKey key)
    {
        if (KeyMismatch(saved, key) is { } keyProblem)
        {
            return keyProblem;
        }

        if (saved.Digest is null || saved.Hosts.Any(h => h.Digest is null))
        {
            return "the plan file carries no desired-state digest (made by an older reconciler?); re-plan";
        }

        if (DesiredStateDigest.Of(saved.Hosts.Select(h => (h.Host, h.Digest!)), key) != saved.Digest)
        {
            return "the plan file is inconsistent: its digest does not match its hosts' digests; re-plan";
        }

        var now = current.Hosts.ToDictionary(h => h.Host.Name, StringComparer.Ordinal);
        var differing = saved.Hosts.Where(h => selected.Contains(h.Host))
            .Where(h => !now.TryGetValue(h.Host, out var host) || DesiredStateDigest.Of(host, key) != h.Digest)
            .Select(h => now.ContainsKey(h.Host) ? h.Host : h.Host + " (no longer declared)")
            .ToList();
        if (differing.Count == 0)
        {
            return null;
        }

        var commits = saved.Commit is not null && current.Commit is not null && saved.Commit != current.Commit
            ? $" (planned at commit {Short(saved.Commit)}, the specs are at {Short(current.Commit)})"
            : saved.Commit is not null && current.Commit is null ? $" (planned at commit {Short(saved.Commit)})" : "";
        return $"the desired state is not the one planned{commits}: {string.Join(", ", differing)} changed since the plan; re-plan";
    }

    private static string? KeyMismatch(Plan saved, PlanKey key) =>
        saved.KeyId is null
            ? $"the plan was made without {PlanKey.EnvironmentVariable}, so no other process can check its digests; set the same key for plan and apply, and re-plan"
            : key.IsEphemeral
                ? $"{PlanKey.EnvironmentVariable} is not set; apply --plan needs the key the plan was made with"
                : saved.KeyId != key.Id
                    ? $"the plan was made with a different {PlanKey.EnvironmentVariable} ({saved.KeyId}, this run has {key.Id}); use the plan job's key, or re-plan"
                    : null;

    private static string Short(string sha) => sha[..Math.Min(7, sha.Length)];
}
