using Reconciler.Core.Resources.Health;

namespace Reconciler.Specs.Tests;

/// <summary>
/// health: rules read in the order written, each at its own line; kept apart from what is planned (a monitored kind);
/// a limit out of its range or an entry that checks nothing refused at validate, at its line.
/// </summary>
public sealed class HealthSectionTests : IDisposable
{
    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    private void Write(string rules) => _specs.WithDefaultInventory().Write("h.yaml", "kind: resources\ntarget: { group: all }\nhealth:\n" + rules);

    [Fact]
    public void Rules_are_read_in_the_order_written_each_at_its_line_and_kept_apart_from_the_planned_resources()
    {
        Write("""
              - name: baseline
                inodes_used_max: 90
                memory_available_min: 10.5
                syn_recv_max: 256
                mount_count_below_max: true
                space_used_max: 95
                load_per_cpu_max: 4
            """);

        var result = _specs.Load();

        Assert.Empty(result.Diagnostics);
        var host = result.State!.Hosts[0];
        Assert.Empty(host.Resources);
        var health = Assert.IsType<HealthResource>(Assert.Single(host.Monitors));
        Assert.Equal("health[baseline]", health.Address.ToString());
        Assert.Equal(
            [("inodes_used_max", 90.0, 5), ("memory_available_min", 10.5, 6), ("syn_recv_max", 256.0, 7), ("mount_count_below_max", 1.0, 8), ("space_used_max", 95.0, 9), ("load_per_cpu_max", 4.0, 10)],
            health.Rules.Select(r => (r.Name, r.Limit, r.Source.Line)));
        Assert.All(health.Rules, r => Assert.Equal((_specs.Path("h.yaml"), 5), (r.Source.File, r.Source.Column)));
    }

    [Theory]
    [InlineData("inodes_used_max: 101", 5)]
    [InlineData("inodes_used_max: -1", 5)]
    [InlineData("space_used_max: 100.5", 5)]
    [InlineData("memory_available_min: -0.5", 5)]
    [InlineData("syn_recv_max: -1", 5)]
    [InlineData("syn_recv_max: 2.5", 5)]
    [InlineData("load_per_cpu_max: -2", 5)]
    [InlineData("mount_count_below_max: yes", 5)]
    [InlineData("inodes_used_max: ninety", 5)]
    public void A_limit_out_of_its_range_or_type_is_refused_at_its_line(string rule, int line)
    {
        Write($"  - name: baseline\n    {rule}\n");

        Assert.Matches($@"h\.yaml:{line}:\d+: error RC2001: health\[0\]\.{rule.Split(':')[0]}", _specs.Diagnostics());
    }

    [Theory]
    [InlineData("  - name: baseline\n")]
    [InlineData("  - name: baseline\n    mount_count_below_max: false\n")]
    public void An_entry_that_checks_nothing_is_refused(string entry)
    {
        Write(entry);

        Assert.Contains($"{_specs.Path("h.yaml")}:4:5: error RC3012: health[baseline] checks nothing: declare at least one of inodes_used_max, space_used_max, memory_available_min, syn_recv_max, mount_count_below_max, load_per_cpu_max", _specs.Diagnostics());
    }

    [Fact]
    public void A_name_outside_its_grammar_is_refused()
    {
        Write("  - { name: \"a/../b\", syn_recv_max: 1 }\n");

        Assert.Contains("error RC2001: health[0].name", _specs.Diagnostics());
    }

    [Fact]
    public void One_name_declared_twice_for_a_host_is_refused()
    {
        Write("  - { name: baseline, syn_recv_max: 1 }\n  - { name: baseline, syn_recv_max: 2 }\n");

        Assert.Contains("error RC3001: health[baseline]", _specs.Diagnostics());
    }
}
