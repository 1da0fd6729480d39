using System.Diagnostics;
using System.Globalization;
using Reconciler.Core.Model;

namespace Reconciler.Integration.Tests.Support;

/// <summary>
/// One run of the real CLI as a child process (the built <c>reconciler.dll</c> under <c>dotnet</c>), with its peak
/// resident memory and wall time: what one run spends is a property of the whole process, so it is measured from
/// outside. Peak RSS comes from the kernel's accounting of the child (<c>/usr/bin/time -f %M</c>, i.e. wait4's
/// ru_maxrss; Debian package <c>time</c>, installed by scripts/setup-docker.sh): unlike sampling /proc it cannot miss a
/// short spike or the moments before exit.
/// </summary>
/// <param name="PeakRssBytes">The child's maximum resident set size.</param>
/// <param name="Wall">From start to exit, including the runtime's start-up.</param>
public sealed record MeasuredCliRun(int ExitCode, string Stdout, string Stderr, long PeakRssBytes, TimeSpan Wall)
{
    /// <summary>What the hostile suite allows one validate or plan: issue 15's target.</summary>
    public const long TargetPeakRssBytes = 500L * 1024 * 1024;

    public static readonly TimeSpan TargetWall = TimeSpan.FromSeconds(60);

    private const string TimeTool = "/usr/bin/time";

    public static Task<MeasuredCliRun> ExecAsync(params string[] args) => ExecAsync(new Dictionary<string, string>(), args);

    /// <summary>
    /// Runs <c>reconciler <paramref name="args"/></c> with the test plan key and <paramref name="environment"/> added to a
    /// cleaned environment (no GITHUB_* or RECONCILER_* variables of the test process leak in). A run longer than
    /// <paramref name="killAfter"/> (default 3 minutes) is killed and reported as exit -1.
    /// </summary>
    public static async Task<MeasuredCliRun> ExecAsync(IReadOnlyDictionary<string, string> environment, string[] args, TimeSpan? killAfter = null)
    {
        if (!File.Exists(TimeTool))
        {
            throw new InvalidOperationException($"{TimeTool} is missing: run scripts/setup-docker.sh (it installs the Debian package 'time')");
        }

        var cli = Path.Combine(AppContext.BaseDirectory, "reconciler.dll");
        var measured = Path.GetTempFileName();
        var start = new ProcessStartInfo(TimeTool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-f", "%M", "-o", measured, DotnetHost, cli, .. args])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("GITHUB_", StringComparison.Ordinal) || k.StartsWith("RECONCILER_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment[PlanKey.EnvironmentVariable] = CliRun.TestPlanKey;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        try
        {
            var stopwatch = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(killAfter ?? TimeSpan.FromMinutes(3));
            var exit = -1;
            try
            {
                await process.WaitForExitAsync(timeout.Token);
                exit = process.ExitCode;
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            stopwatch.Stop();
            var stderrText = await stderr;
            // time(1) reports a killed or signalled child on its own output file too; the last line is the figure.
            var figure = (await File.ReadAllLinesAsync(measured)).LastOrDefault(l => l.Trim().Length > 0 && char.IsDigit(l.Trim()[0]));
            var peakKib = figure is null ? -1 : long.Parse(figure.Trim(), CultureInfo.InvariantCulture);
            return new MeasuredCliRun(exit, await stdout, stderrText, peakKib * 1024, stopwatch.Elapsed);
        }
        finally
        {
            File.Delete(measured);
        }
    }

    /// <summary>The dotnet host running these tests (the SDK sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    internal static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";

    public double PeakRssMiB => PeakRssBytes / 1024.0 / 1024.0;

    /// <summary>The run stayed within issue 15's target: under 500 MB peak RSS and 60 s.</summary>
    public bool WithinTarget => PeakRssBytes is > 0 and < TargetPeakRssBytes && Wall < TargetWall;

    public override string ToString() =>
        $"exit {ExitCode}, peak RSS {PeakRssMiB:0.#} MiB, {Wall.TotalSeconds:0.#} s\n--- stdout ---\n{Shorten(Stdout)}\n--- stderr ---\n{Shorten(Stderr)}";

    private static string Shorten(string text) => text.Length <= 4000 ? text : text[..4000] + $"… ({text.Length} characters)";
}
