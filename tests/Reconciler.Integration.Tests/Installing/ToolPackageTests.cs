using System.Text.RegularExpressions;
using Reconciler.Integration.Tests.Support;
using Reconciler.Tests.Shared;

namespace Reconciler.Integration.Tests.Installing;

/// <summary>
/// Issue 22, item 5a: the CLI packs as a .NET tool that installs from a local folder alone (no other package source, as
/// a user's private feed or an offline machine would have it) and runs as <c>reconciler</c>; its version is the git
/// tag's (MinVer, tag prefix v), the same in the package's name and in <c>reconciler --version</c>.
/// </summary>
[Collection(InstallingCollection.Name)]
public sealed partial class ToolPackageTests(PackedTool packed)
{
    [Fact]
    public async Task The_packed_tool_installs_from_a_local_folder_alone_and_says_its_git_derived_version_and_validates()
    {
        Assert.Equal(await ExpectedVersionAsync(), packed.Version);

        var tools = packed.NewDirectory("tools");
        (await ChildProcess.RunAsync("dotnet", "tool", "install", "reconciler", "--version", packed.Version, "--tool-path", tools,
            "--configfile", packed.LocalOnlyNuGetConfig)).Succeeded();
        var reconciler = Path.Combine(tools, "reconciler");

        var said = (await ChildProcess.RunAsync(reconciler, "--version")).Succeeded();
        Assert.Equal(await GitVersion.VersionLineAsync(packed.Version), said.Stdout.Trim());

        var validated = (await ChildProcess.RunAsync(reconciler, SampleValidation.Arguments(TestRepository.SampleSpecs))).Succeeded();
        Assert.Equal(await SampleValidation.ExpectedStdoutAsync(), validated.Stdout);
    }
    /// <summary>
    /// The version comes from the tags: v9.8.7 on the commit gives 9.8.7, one commit later 9.8.8-alpha.0.1, and a tag
    /// that is not a full version (v9, the moving tag of the action's major version) changes nothing. Asked of a bare
    /// clone of this checkout (GIT_DIR), so the checkout's own tags stay as they are.
    /// </summary>
    [Fact]
    public async Task The_version_is_the_v_prefixed_tags_and_commits_after_it_count_as_a_pre_release()
    {
        var clone = Path.Combine(packed.NewDirectory("clone"), "clone.git");
        (await ChildProcess.RunAsync("git", "clone", "--quiet", "--bare", "--local", TestRepository.Root, clone)).Succeeded();
        await GitAsync(clone, "tag", "v9.8.7", "HEAD");
        Assert.Equal("9.8.7", await GitVersion.MinVerAsync(clone));

        var tree = (await GitAsync(clone, "rev-parse", "HEAD^{tree}")).Trim();
        var next = (await GitAsync(clone, "-c", "user.name=t", "-c", "user.email=t@example.test", "commit-tree", tree, "-p", "HEAD", "-m", "after the tag")).Trim();
        await GitAsync(clone, "update-ref", "HEAD", next);
        await GitAsync(clone, "tag", "v9", "HEAD");
        Assert.Equal("9.8.8-alpha.0.1", await GitVersion.MinVerAsync(clone));
    }

    /// <summary>What MinVer makes of this checkout: the tag's version on a tagged commit, else a pre-release of the next patch (0.0.0 without a tag).</summary>
    private static async Task<string> ExpectedVersionAsync()
    {
        var tag = (await ChildProcess.RunAsync("git", "-C", TestRepository.Root, "tag", "--points-at", "HEAD", "--list", "v*.*.*")).Succeeded().Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(t => ReleaseTag().IsMatch(t));
        if (tag is not null) return tag[1..];

        var version = await GitVersion.MinVerAsync();
        Assert.Matches(PreRelease(), version); // never the SDK's default 1.0.0: the version came from git
        return version;
    }

    private static async Task<string> GitAsync(string gitDirectory, params string[] args) =>
        (await ChildProcess.RunAsync("git", args.Prepend(gitDirectory).Prepend("--git-dir"))).Succeeded().Stdout;

    [GeneratedRegex(@"^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")]
    private static partial Regex ReleaseTag();

    [GeneratedRegex(@"^\d+\.\d+\.\d+-alpha\.0\.\d+$")]
    private static partial Regex PreRelease();
}
