using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Specs;
using Reconciler.Git;
using Reconciler.Specs;

namespace Reconciler.Cli.Features;

/// <summary>
/// Desired state read out of a commit: the specs directory of the commit's tree is served from git objects in memory
/// (never written to disk) and loaded by the same rules as a directory, with paths shown as in the repository
/// (<c>specs/web.yaml</c>). The working tree is never read, so uncommitted edits cannot slip into a plan that names a commit.
/// </summary>
internal sealed class RepoSpecs(SpecGate gate, SpecLoader loader)
{
    /// <summary>The specs directory as a repository-relative path: <c>--specs</c> is taken inside the repository.</summary>
    /// <exception cref="GitRepositoryException">The directory is outside the repository.</exception>
    public static string SpecsPath(IGitRepository repo, string specs)
    {
        var relative = Path.GetRelativePath(repo.Root, Path.GetFullPath(specs, repo.Root)).Replace('\\', '/');
        if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw new GitRepositoryException($"--specs {specs} is outside the repository {repo.Root}");
        }

        return relative == "." ? "" : relative;
    }

    /// <summary>Validated through the gate (every diagnostic printed); null when invalid. The state carries the commit.</summary>
    /// <param name="reviewed">For a change's head, the base's inventory: it decides what the change may manage.</param>
    public DesiredState? Load(IGitRepository repo, string commit, string specsPath, ReviewedInventory? reviewed = null) =>
        WithCommit(repo, commit, specsPath, tree => gate.Load(tree, repo.Root, reviewed), required: true);

    /// <summary>
    /// For the base of a change: invalid, missing or unreadable specs there are not this change's problem, so null
    /// quietly (and then no host counts as known before the change).
    /// </summary>
    public (DesiredState? State, ReviewedInventory Inventory) TryLoadQuietly(IGitRepository repo, string commit, string specsPath)
    {
        var inventory = ReviewedInventory.Nothing;
        try
        {
            var state = WithCommit(repo, commit, specsPath, tree =>
            {
                var result = loader.Load(tree, repo.Root);
                inventory = result.State is null ? ReviewedInventory.Nothing : result.Inventory ?? ReviewedInventory.Nothing;
                return result.State;
            }, required: false);
            return (state, inventory);
        }
        catch (GitRepositoryException)
        {
            return (null, ReviewedInventory.Nothing);
        }
    }

    /// <summary>Fills in, for each host's applied commit, whether the repository knows it and how far behind head it is.</summary>
    public static Plan WithAncestry(Plan plan, IGitRepository repo, string head) => plan with
    {
        Hosts = plan.Hosts.Select(h => h.Applied is { Commit: { Length: > 0 } commit } applied
            ? h with
            {
                Applied = repo.CommitsBehind(commit, head) is { } behind
                    ? applied with { CommitKnown = true, CommitsBehind = behind }
                    : applied with { CommitKnown = false },
            }
            : h).ToList(),
    };

    private static DesiredState? WithCommit(
        IGitRepository repo, string commit, string specsPath, Func<ISpecTree, DesiredState?> load, bool required)
    {
        if (repo.ReadTree(commit, specsPath) is not { } tree)
        {
            if (!required) return null;
            throw new GitRepositoryException($"commit {commit[..7]} has no directory '{specsPath}' (set it with --specs)");
        }

        return load(tree) is { } state ? state with { Commit = commit } : null;
    }
}
