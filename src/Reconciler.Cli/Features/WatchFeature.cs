using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Reconciler.Cli.Features.Watch;

namespace Reconciler.Cli.Features;

/// <summary>What <c>reconciler watch</c> was asked to do.</summary>
/// <param name="Specs">The specs directory; a relative one is taken inside <paramref name="Repo"/> when that is given.</param>
/// <param name="Interval">Time from the start of one cycle to the start of the next.</param>
/// <param name="Once">Run one cycle and exit with its status (for cron and tests).</param>
internal sealed record WatchRequest(
    string Specs,
    string? Hosts,
    TimeSpan Interval,
    bool AutoApply,
    bool Once,
    string? Repo,
    TimeSpan? ConfirmTimeout = null,
    int? Parallel = null)
{
    public string SpecsDirectory => Path.GetFullPath(Repo is null || Path.IsPathRooted(Specs) ? Specs : Path.Combine(Repo, Specs));
}

/// <summary>
/// The watch command's request and outcome, shared with the hosted service. The command line is parsed only after
/// the host is built (the command tree resolves its features from the host's services), so the request cannot be a
/// constructor argument of the service: the command arms the session, then starts the host.
/// </summary>
internal sealed class WatchSession
{
    private WatchRequest? _request;
    private int _exitCode;

    public WatchRequest Request => _request ?? throw new InvalidOperationException("the watch service runs only under `reconciler watch`");

    /// <summary>The process exit code: 0 after a graceful stop; with <c>--once</c>, the cycle's status.</summary>
    public int ExitCode
    {
        get => Volatile.Read(ref _exitCode);
        set => Volatile.Write(ref _exitCode, value);
    }

    public void Arm(WatchRequest request)
    {
        if (Interlocked.CompareExchange(ref _request, request, null) is not null)
        {
            throw new InvalidOperationException("the watch session is already armed");
        }
    }
}

/// <summary>
/// <c>reconciler watch</c>: runs the application host, whose <see cref="WatchService"/> reconciles on a schedule until
/// the host stops (SIGTERM, Ctrl-C, or the invocation's cancellation).
/// </summary>
internal sealed class WatchFeature(IHost host, WatchSession session)
{
    public async Task<int> RunAsync(WatchRequest request, CancellationToken ct)
    {
        session.Arm(request);
        try
        {
            // The other commands use the host only as a service container; here it runs, so its console lifetime turns
            // SIGTERM/Ctrl-C into a graceful stop. Not RunAsync: that disposes the host, which App owns.
            await host.StartAsync(ct);
            await host.WaitForShutdownAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Cancelled while starting: nothing ran, so nothing failed.
        }

        return session.ExitCode;
    }
}

/// <summary>Parses <c>--interval</c>: <c>30s</c>, <c>5m</c>, <c>1h</c>, or a combination such as <c>1h30m</c>.</summary>
internal static partial class WatchInterval
{
    public static readonly TimeSpan Minimum = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Maximum = TimeSpan.FromDays(7);

    public static bool TryParse(string? text, out TimeSpan interval, out string? error)
    {
        interval = default;
        var match = text is null ? null : Pattern().Match(text.Trim());
        if (match is null || !match.Success || match.Value.Length == 0)
        {
            error = $"'{text}' is not an interval: use a number with s, m, h or d, e.g. 30s, 5m, 1h or 1h30m";
            return false;
        }

        double Part(string name) => match.Groups[name].Success ? double.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        // Parsed as doubles so that absurd digit strings land above the maximum instead of overflowing.
        var seconds = Part("d") * 86400 + Part("h") * 3600 + Part("m") * 60 + Part("s");
        if (seconds < Minimum.TotalSeconds || seconds > Maximum.TotalSeconds)
        {
            error = $"interval '{text}' must be between 1s and 7d";
            return false;
        }

        interval = TimeSpan.FromSeconds(seconds);
        error = null;
        return true;
    }

    [GeneratedRegex(@"^(?:(?<d>\d+)d)?(?:(?<h>\d+)h)?(?:(?<m>\d+)m)?(?:(?<s>\d+)s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

internal static class WatchRegistration
{
    /// <summary>
    /// The watch command's services. The hosted service is registered for every command but only starts when
    /// <see cref="WatchFeature"/> starts the host; the source and cycle are resolved then, after the session is armed.
    /// </summary>
    public static IServiceCollection AddWatch(this IServiceCollection services)
    {
        services.AddSingleton<WatchSession>();
        services.AddSingleton<WatchFeature>();
        services.AddSingleton(sp => DesiredStateSources.For(sp.GetRequiredService<WatchSession>().Request, sp));
        services.AddSingleton<IWatchCycle, WatchCycle>();
        services.AddHostedService<WatchService>();
        return services;
    }
}
