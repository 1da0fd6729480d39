using Reconciler.Core.Resources.Packages;

namespace Reconciler.Specs.Tests;

public sealed class PackagesSectionTests : IDisposable
{
    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    [Fact]
    public void Packages_are_read_with_state_present_by_default_and_the_files_apt_settings()
    {
        _specs.WithDefaultInventory().Write("p.yaml", """
            kind: resources
            target: { group: all }
            apt:
              refresh: { max_age: 90m }
              lock_wait: 10s
            packages:
              - name: postfix
              - { name: rc-hello, version: 1.0, hold: true }
              - { name: telnet, state: purged }
            """);

        var result = _specs.Load();

        Assert.Empty(result.Diagnostics);
        var packages = result.State!.Hosts[0].Resources.Cast<PackageResource>().ToList();
        Assert.Equal(["package[postfix]", "package[rc-hello]", "package[telnet]"], packages.Select(r => r.Address.ToString()));
        Assert.Equal([PackageState.Present, PackageState.Present, PackageState.Purged], packages.Select(p => p.State));
        Assert.Equal("1.0", packages[1].Version);
        Assert.True(packages[1].Hold);
        Assert.All(packages, p => Assert.Equal(TimeSpan.FromMinutes(90), p.RefreshMaxAge));
        Assert.All(packages, p => Assert.Equal(TimeSpan.FromSeconds(10), p.LockWait));
    }

    [Fact]
    public void A_lock_wait_past_the_hosts_time_limit_is_an_error_at_its_value()
    {
        // Hostile review: 999999d passed the grammar, overflowed apply's (int) seconds into a wait without end, and a
        // detached apply kept the host's apply lock while apt waited; any wait of 5 minutes or more outlives the host's time.
        _specs.WithDefaultInventory().Write("p.yaml", """
            kind: resources
            target: { group: all }
            apt:
              lock_wait: 999999d
            packages:
              - name: postfix
            """);

        Assert.Equal(
            $"{_specs.Path("p.yaml")}:4:14: error RC3012: apt.lock_wait '999999d' is longer than 4m 0s: apply must end within the host's time limit of 5 minutes",
            _specs.Diagnostics());
    }

    [Fact]
    public void A_name_outside_debian_policy_is_a_schema_error_at_the_value()
    {
        _specs.WithDefaultInventory().Write("p.yaml", """
            kind: resources
            target: { group: all }
            packages:
              - name: "Post fix;id"
            """);

        Assert.Equal(
            $"{_specs.Path("p.yaml")}:4:11: error RC2001: packages[0].name: 'Post fix;id' does not match the pattern {PackageNames.NamePattern}",
            _specs.Diagnostics());
    }

    [Fact]
    public void A_version_or_hold_with_a_removal_and_apt_settings_without_packages_are_errors_at_their_lines()
    {
        _specs.WithDefaultInventory().Write("p.yaml", """
            kind: resources
            target: { group: all }
            packages:
              - { name: telnet, state: absent, version: "1.0" }
              - { name: rsh-client, state: purged, hold: true }
            """).Write("q.yaml", """
            kind: resources
            target: { group: all }
            apt:
              lock_wait: 1m
            """);

        Assert.Equal(
            string.Join("\n",
                $"{_specs.Path("p.yaml")}:4:45: error RC3012: package 'telnet': a version goes with state present only",
                $"{_specs.Path("p.yaml")}:5:46: error RC3012: package 'rsh-client': hold: true goes with state present only",
                $"{_specs.Path("q.yaml")}:4:3: error RC3012: apt settings apply to the packages of their own file, and this file declares none"),
            _specs.Diagnostics());
    }
}
