using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Reconciler.Git;

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

/// <summary>
/// A git working copy: each cycle fast-forwards it to its upstream first, so merged pull requests reach the hosts on
/// the next cycle. The snapshot names HEAD only while the specs directory matches it, so an applied commit recorded on
/// a host is always one that exists upstream.
/// </summary>
internal sealed partial class GitStateSource(string repo, string specsDirectory, ILogger log) : IDesiredStateSource
{
    public Task<DesiredStateSnapshot> RefreshAsync(CancellationToken ct)
    {
        using var workingCopy = GitRepositories.OpenWorkingCopy(repo);
        var (before, after) = workingCopy.PullFastForward();
        if (before != after)
        {
            Pulled(log, before[..7], after[..7]);
        }

        if (workingCopy.IsClean(specsDirectory))
        {
            return Task.FromResult(new DesiredStateSnapshot(specsDirectory, after));
        }

        LocalEdits(log, specsDirectory);
        return Task.FromResult(new DesiredStateSnapshot(specsDirectory, null));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pulled {From}..{To}")]
    private static partial void Pulled(ILogger log, string from, string to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Specs} has local edits: this cycle uses them and records no commit on the hosts")]
    private static partial void LocalEdits(ILogger log, string specs);
}

internal static class DesiredStateSources
{
    /// <summary>A git working copy is pulled every cycle (fast-forward only); anything else is read as a directory.</summary>
    public static IDesiredStateSource For(WatchRequest request, IServiceProvider services)
    {
        if (request.Repo is { } repo && GitRepositories.IsWorkingCopy(repo))
        {
            var log = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GitStateSource).FullName!);
            return new GitStateSource(repo, request.SpecsDirectory, log);
        }

        return new DirectoryStateSource(request.SpecsDirectory);
    }
}
