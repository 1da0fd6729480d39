using Reconciler.Integration.Tests.Support;
using Reconciler.Tests.Shared;

namespace Reconciler.Integration.Tests.Installing;

/// <summary>
/// Issue 22, item 5b: the repository's Dockerfile builds (as scripts/build-image.sh builds it, FROM the local stand-ins
/// of the official .NET images that scripts/build-images.sh makes; the layers are cached there) an image that runs
/// <c>validate</c> on specs mounted read-only, as a non-root user, with no .NET SDK (nor any <c>dotnet</c>) in it.
/// </summary>
[Collection(InstallingCollection.Name)]
public sealed class ContainerImageTests
{
    private const string Image = "reconciler/reconciler:test";

    [Fact]
    public async Task The_image_validates_read_only_specs_as_a_non_root_user_without_an_sdk_and_says_the_git_version()
    {
        // Cached when scripts/build-images.sh built this commit already (as CI does); after a new commit the version
        // arguments change and the publish stage runs again, minutes on a busy machine.
        var built = (await ChildProcess.RunAsync(Path.Combine(TestRepository.Root, "scripts", "build-image.sh"), ["--local-bases", Image],
            killAfter: TimeSpan.FromMinutes(15))).Succeeded();
        Assert.Equal(Image, built.Stdout.Trim().Split('\n').Last());

        var validated = await ChildProcess.RunAsync("docker",
            ["run", "--rm", "--network", "none", "-v", $"{TestRepository.SampleSpecs}:/specs:ro", Image, .. SampleValidation.Arguments("/specs")]);
        Assert.True(validated.ExitCode == 0, validated.ToString());
        Assert.Equal(await SampleValidation.ExpectedStdoutAsync(), validated.Stdout);

        var version = (await ChildProcess.RunAsync("docker", "run", "--rm", "--network", "none", Image, "--version")).Succeeded();
        Assert.Equal(await GitVersion.VersionLineAsync(await GitVersion.MinVerAsync()), version.Stdout.Trim());

        var user = (await ChildProcess.RunAsync("docker", "run", "--rm", "--network", "none", "--entrypoint", "id", Image, "-u")).Succeeded();
        Assert.NotEqual("0", user.Stdout.Trim());
        var configured = (await ChildProcess.RunAsync("docker", "image", "inspect", "--format", "{{.Config.User}}", Image)).Succeeded();
        Assert.NotEqual("", configured.Stdout.Trim());

        // No SDK: `dotnet --list-sdks` cannot even start, and no dotnet (host, SDK or shared runtime) is anywhere.
        var sdks = await ChildProcess.RunAsync("docker", "run", "--rm", "--network", "none", "--entrypoint", "dotnet", Image, "--list-sdks");
        Assert.NotEqual(0, sdks.ExitCode);
        Assert.Equal("", sdks.Stdout.Trim());
        var found = (await ChildProcess.RunAsync("docker", "run", "--rm", "--network", "none", "--user", "0", "--entrypoint", "find", Image,
            "/", "-xdev", "(", "-name", "dotnet", "-o", "-name", "sdk", "-o", "-name", "Microsoft.NETCore.App", "-o", "-name", "*.Sdk.dll", ")", "-print")).Succeeded();
        Assert.Equal("", found.Stdout.Trim());
    }
}
