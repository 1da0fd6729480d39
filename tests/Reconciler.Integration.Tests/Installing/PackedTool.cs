using System.Text.RegularExpressions;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests.Installing;

/// <summary>
/// The installable forms' tests run one after another: the package is packed once for all of them, and neither its pack
/// nor the image build's MinVer restore races another over the CLI project's obj/ folder.
/// </summary>
[CollectionDefinition(Name)]
public sealed class InstallingCollection : ICollectionFixture<PackedTool>
{
    public const string Name = "installing";
}

/// <summary>
/// The CLI packed once as the .NET tool package reconciler (from the build these tests run against: --no-build) into a
/// folder of its own, with a NuGet configuration that knows that folder and no other feed.
/// </summary>
public sealed partial class PackedTool : IAsyncLifetime
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("reconciler-tool-");

    public string Packages => Path.Combine(_temp.FullName, "packages");

    /// <summary>A NuGet configuration with the one local folder and nothing else: an install cannot reach any feed.</summary>
    public string LocalOnlyNuGetConfig => Path.Combine(_temp.FullName, "nuget", "nuget.config");

    public string Version { get; private set; } = "";

    public string NewDirectory(string name) => Directory.CreateDirectory(Path.Combine(_temp.FullName, name)).FullName;

    public async Task InitializeAsync()
    {
        (await ChildProcess.RunAsync("dotnet", "pack", GitVersion.CliProject, "-c", GitVersion.Configuration, "--no-build", "-o", Packages, "-nologo")).Succeeded();
        var package = Assert.Single(Directory.GetFiles(Packages, "*.nupkg"));
        var name = PackageName().Match(Path.GetFileName(package));
        Assert.True(name.Success, "not a reconciler package: " + package);
        Version = name.Groups[1].Value;

        Directory.CreateDirectory(Path.GetDirectoryName(LocalOnlyNuGetConfig)!);
        await File.WriteAllTextAsync(LocalOnlyNuGetConfig, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Packages}" />
              </packageSources>
            </configuration>
            """);
    }

    public Task DisposeAsync()
    {
        _temp.Delete(recursive: true);
        return Task.CompletedTask;
    }

    [GeneratedRegex(@"^reconciler\.(.+)\.nupkg$")]
    private static partial Regex PackageName();
}
