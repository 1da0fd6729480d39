using System.Diagnostics;
using Reconciler.Core.Engine;

namespace Reconciler.Core.Tests.Support;

/// <summary>Runs POSIX shell scripts on this machine with /bin/sh — the same shell family the remote hosts use.</summary>
internal static class LocalShell
{
    public static ScriptResult Run(string script)
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("LC_ALL=C; export LC_ALL\n" + script);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("shell script did not finish within 30s:\n" + script);
        }

        return new ScriptResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Stdout split into lines the way the engine's section parser hands them to providers.</summary>
    public static IReadOnlyList<string> Lines(string stdout) =>
        stdout.Length == 0 ? [] : stdout.TrimEnd('\n').Split('\n');
}

/// <summary>A temp directory that is removed afterwards, clearing any immutable flag a test set first.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("reconciler-tests-").FullName;
        // World-searchable like /etc, so the disclosure policy lets world-readable files in it be shown.
        LocalShell.Run($"chmod 0755 -- '{Path}'");
    }

    public string Path { get; }

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        LocalShell.Run($"chattr -R -i -a -- '{Path}' 2>/dev/null; rm -rf -- '{Path}'");
    }
}
