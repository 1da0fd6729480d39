using Reconciler.Integration.Tests.Support;
using Reconciler.Tests.Shared;

namespace Reconciler.Integration.Tests.Installing;

/// <summary>The version every installable form must say: what MinVer derives from git, and the commit it was built from.</summary>
internal static class GitVersion
{
    public static string CliProject => Path.Combine(TestRepository.Root, "src", "Reconciler.Cli", "Reconciler.Cli.csproj");

    /// <summary>The configuration these tests (and so the CLI they reference) were built in: bin/CONFIG/net10.0.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;

    /// <summary>MinVer's version of this checkout, or of the repository <paramref name="gitDirectory"/> (a bare clone) when given.</summary>
    public static async Task<string> MinVerAsync(string? gitDirectory = null)
    {
        var environment = gitDirectory is null ? null : new Dictionary<string, string> { ["GIT_DIR"] = gitDirectory, ["GIT_WORK_TREE"] = TestRepository.Root };
        var asked = await ChildProcess.RunAsync("dotnet", ["msbuild", CliProject, "-nologo", "-t:MinVer", "-getProperty:MinVerVersion", $"-p:Configuration={Configuration}"], environment);
        return asked.Succeeded().Stdout.Trim();
    }

    public static async Task<string> HeadAsync() =>
        (await ChildProcess.RunAsync("git", "-C", TestRepository.Root, "rev-parse", "HEAD")).Succeeded().Stdout.Trim();

    /// <summary>What <c>reconciler --version</c> prints: the version, and the commit as build metadata.</summary>
    public static async Task<string> VersionLineAsync(string version) => $"{version}+{await HeadAsync()}";
}
