using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>The API version is agreed with the engine, never pinned: old engines get their maximum, new ones the client's.</summary>
public sealed class DockerApiVersionTests
{
    [Theory]
    [InlineData("1.41", "1.41")] // Debian 12's docker.io 20.10
    [InlineData("1.43", "1.43")] // Docker 24
    [InlineData("1.44", null)]
    [InlineData("1.52", null)] // Docker 29, which refuses anything below 1.44
    [InlineData("garbage", null)]
    public void An_engine_older_than_the_client_gets_its_own_maximum_and_a_newer_one_the_clients(string engine, string? expected) =>
        Assert.Equal(expected, DockerApiVersion.Agreed(engine));

    [Fact]
    public void The_engine_these_tests_run_on_is_asked_and_no_version_is_pinned_by_the_project()
    {
        var engine = DockerApiVersion.EngineMaximum();

        Assert.NotNull(engine);
        Assert.Equal(DockerApiVersion.Agreed(engine!), NullIfEmpty(Environment.GetEnvironmentVariable("DOCKER_API_VERSION")));
        var root = SpecsWorkspace.RepositoryRoot;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "scripts")).Concat(Directory.EnumerateFiles(Path.Combine(root, ".github", "workflows"))))
        {
            Assert.DoesNotContain("DOCKER_API_VERSION=", File.ReadAllText(file));
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
