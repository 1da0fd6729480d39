using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Reconciler.Cli.Features.Watch;

/// <summary>The specs a cycle loads, and which revision of the repository they are (null when unknown).</summary>
internal sealed record DesiredStateSnapshot(string SpecsDirectory, string? Revision);

/// <summary>
/// Where each watch cycle takes the desired state from. A cycle calls <see cref="RefreshAsync"/> first, so a source
/// backed by a git remote pulls there; a failure is that cycle's failure, and the next cycle tries again.
/// </summary>
internal interface IDesiredStateSource
{
    Task<DesiredStateSnapshot> RefreshAsync(CancellationToken ct);
}

/// <summary>A plain directory, read as it is on every cycle (a checkout that something else keeps current, or a test).</summary>
internal sealed class DirectoryStateSource(string specsDirectory) : IDesiredStateSource
{
    public Task<DesiredStateSnapshot> RefreshAsync(CancellationToken ct) => Task.FromResult(new DesiredStateSnapshot(specsDirectory, null));
}

internal static partial class DesiredStateSources
{
    /// <summary>
    /// Picks the source for a watch request. Seam for git: when <c>--repo</c> is a working copy with a remote, this is
    /// where a source that fast-forwards it (<c>git pull --ff-only</c> through Reconciler.Git's LibGit2Sharp adapter)
    /// and reports the new HEAD as <see cref="DesiredStateSnapshot.Revision"/> is returned instead. Until that adapter
    /// is referenced here, a working copy is read as a directory and the log says it is not pulled. Shelling out to
    /// git is deliberately not an option: the reconciler runs no local processes.
    /// </summary>
    public static IDesiredStateSource For(WatchRequest request, IServiceProvider services)
    {
        if (request.Repo is { } repo && Directory.Exists(Path.Combine(repo, ".git")))
        {
            var log = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DesiredStateSources).FullName!);
            NotPulled(log, Path.GetFullPath(repo));
        }

        return new DirectoryStateSource(request.SpecsDirectory);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Repo} is a git working copy, but this build cannot pull it: every cycle reads the working tree as it is")]
    private static partial void NotPulled(ILogger log, string repo);
}
