using Reconciler.Core.Resources.Sysctl;

namespace Reconciler.Specs.Tests;

public sealed class SysctlSectionTests : IDisposable
{
    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    [Fact]
    public void Conflicts_defaults_to_comment_and_block_is_read()
    {
        _specs.WithDefaultInventory().Write("s.yaml", """
            kind: resources
            target: { group: all }
            sysctls:
              - key: net.ipv4.ip_forward
                value: 0
              - key: net.ipv4.tcp_syncookies
                value: 1
                conflicts: block
            """);

        var result = _specs.Load();

        Assert.Empty(result.Diagnostics);
        var resources = result.State!.Hosts[0].Resources.Cast<SysctlResource>().ToList();
        Assert.Equal([SysctlConflicts.Comment, SysctlConflicts.Block], resources.Select(r => r.Conflicts));
    }

    [Fact]
    public void An_unknown_conflicts_mode_is_a_schema_error_at_the_value()
    {
        _specs.WithDefaultInventory().Write("s.yaml", """
            kind: resources
            target: { group: all }
            sysctls:
              - key: net.ipv4.ip_forward
                value: 0
                conflicts: overwrite
            """);

        var diagnostics = _specs.Diagnostics();

        Assert.Contains("s.yaml:6:", diagnostics);
        Assert.Contains("conflicts", diagnostics);
    }
}
