using System.Diagnostics;

namespace Reconciler.Integration.Tests.Support;

/// <summary>
/// One run of a program of this machine (dotnet, git, docker, an installed reconciler) as a child process, with its
/// output: what the installable forms are tested with, since a user meets them through these programs too.
/// </summary>
public sealed record ChildProcess(string Command, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="args"/> (no shell), <paramref name="environment"/> added to the
    /// test process's own; killed after <paramref name="killAfter"/> (default 5 minutes) and reported as exit -1.
    /// </summary>
    public static async Task<ChildProcess> RunAsync(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null, TimeSpan? killAfter = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        var command = string.Join(' ', start.ArgumentList.Prepend(file));

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(killAfter ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new ChildProcess(command, -1, await stdout, await stderr + $"\n(killed after {killAfter ?? TimeSpan.FromMinutes(5)})");
        }

        return new ChildProcess(command, process.ExitCode, await stdout, await stderr);
    }

    public static Task<ChildProcess> RunAsync(string file, params string[] args) => RunAsync(file, (IEnumerable<string>)args);

    /// <summary>This result, or a failed assertion that shows the command and everything it printed.</summary>
    public ChildProcess Succeeded()
    {
        Assert.True(ExitCode == 0, ToString());
        return this;
    }

    public override string ToString() => $"{Command}\nexit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
