using Reconciler.Core.Resources.ConfigLines;
using Reconciler.Core.Resources.Files;

namespace Reconciler.Specs.Tests;

/// <summary><c>follow: true</c> is the only way a managed path that is a symbolic link is read and changed through.</summary>
public sealed class FollowLinksTests : IDisposable
{
    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    [Fact]
    public void Files_and_config_lines_follow_links_only_when_the_spec_says_so()
    {
        _specs.WithDefaultInventory().Write("f.yaml", """
            kind: resources
            target: { group: all }
            files:
              - { path: /etc/localtime, mode: "0644", follow: true }
              - { path: /etc/motd, content: "hi\n" }
            config_lines:
              - { path: /etc/sysctl.d/99-sysctl.conf, key: kernel.sysrq, value: "0", separator: "=", follow: true }
              - { path: /etc/login.defs, key: UMASK, value: "027" }
            """);

        var result = _specs.Load();

        Assert.Empty(result.Diagnostics);
        var resources = result.State!.Hosts[0].Resources;
        Assert.Equal([true, false], resources.OfType<FileResource>().Select(f => f.Follow));
        Assert.Equal([true, false], resources.OfType<ConfigLineResource>().Select(c => c.Follow));
    }

    [Fact]
    public void Follow_must_be_a_boolean()
    {
        _specs.WithDefaultInventory().Write("f.yaml", """
            kind: resources
            target: { group: all }
            files:
              - { path: /etc/localtime, follow: "yes please" }
            """);

        var result = _specs.Load();

        Assert.Contains(result.Diagnostics, d => d.Location.Line == 4 && d.Message.Contains("follow", StringComparison.Ordinal));
    }
}
