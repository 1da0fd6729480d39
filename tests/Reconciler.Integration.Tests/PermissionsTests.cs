using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>
/// permissions (chmod -R g-w, planned first) on a real Debian host over SSH: offenders made by hand under /srv/data are
/// listed, cleared, and a later chmod g+w is drift. /etc is declared as in the sample spec and must plan nothing.
/// </summary>
public sealed class PermissionsTests
{
    private const string Spec = """
        kind: resources
        target: { group: hardened }
        permissions:
          - path: /etc
            remove: g-w
          - path: /srv/data
            remove: g-w
            exclude: [/srv/data/shared]
        """;

    [Fact]
    public async Task Group_writable_files_are_planned_cleared_and_a_hand_chmod_is_drift()
    {
        // Given a host with group-writable files, a link to one outside the tree, and an excluded subtree
        await using var host = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        specs.Write("permissions.yaml", Spec);
        await host.ExecAsync("""
            set -e
            mkdir -p /srv/data/sub /srv/data/shared /srv/outside
            echo a > /srv/data/a; echo b > /srv/data/sub/b; echo c > /srv/data/c; echo s > /srv/data/shared/s
            echo o > /srv/outside/o; ln -s /srv/outside/o /srv/data/link
            chmod 755 /srv/data /srv/data/sub; chmod 664 /srv/data/a /srv/data/sub/b /srv/data/shared/s /srv/outside/o
            chmod 644 /srv/data/c; chmod 2775 /srv/data/shared
            """);

        // When we plan, the offenders are counted and named; /etc has none on a stock Debian 12
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("~ permissions[/srv/data g-w]", plan.Stdout);
        Assert.Contains("group-writable: 2 file(s): ", plan.Stdout);
        Assert.Contains("/srv/data/a", plan.Stdout);
        Assert.Contains("/srv/data/sub/b", plan.Stdout);
        Assert.DoesNotContain("/srv/data/shared/s", plan.Stdout);
        Assert.DoesNotContain("~ permissions[/etc g-w]", plan.Stdout);

        // When we apply
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());

        // Then only g-w is gone, and links and the excluded subtree are untouched
        var modes = await host.ExecAsync("stat -c '%n %a' /srv/data/a /srv/data/sub/b /srv/data/c /srv/data/shared /srv/data/shared/s /srv/outside/o");
        Assert.Equal(
            "/srv/data/a 644\n/srv/data/sub/b 644\n/srv/data/c 644\n/srv/data/shared 2775\n/srv/data/shared/s 664\n/srv/outside/o 664",
            modes.Stdout.Trim());

        // And a second plan finds nothing to do
        var again = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("web1: no changes", again.Stdout);

        // When someone makes a file group-writable by hand, drift reports it
        await host.ExecAsync("chmod g+w /srv/data/c");
        var reportDir = Path.Combine(specs.Directory, "report");
        var drift = await CliRun.ExecAsync("drift", "--specs", specs.Directory, "--report-dir", reportDir);
        Assert.True(drift.ExitCode == 2, drift.ToString());
        var report = await File.ReadAllTextAsync(Path.Combine(reportDir, "drift.md"));
        Assert.True(report.Contains("| `permissions[/srv/data g-w]` | `group-writable` | `none` | `1 file(s): /srv/data/c` |"), report);
    }
}
