using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Images;
using Reconciler.Core.Facts;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>
/// A persisted sysctl that a file boot reads later would override: the plan names the line (file:line), apply comments it
/// out and the next plan has nothing to do — or, with <c>conflicts: block</c>, the sysctl is blocked and nothing is
/// touched. The read's order is checked against procps' own <c>sysctl --system</c>. Only net.* keys are written.
/// </summary>
public sealed class SysctlPrecedenceTests
{
    private const string Key = "net.ipv4.tcp_max_syn_backlog";
    private const string Managed = "/etc/sysctl.d/zz-reconciler-net.ipv4.tcp_max_syn_backlog.conf";

    private static string Spec(string extra = "") => $"""
        kind: resources
        target: {"{"} group: hardened {"}"}
        sysctls:
          - key: {Key}
            value: 16000
        {extra}
        """;

    [Fact]
    public async Task A_later_file_and_etc_sysctl_conf_overriding_the_key_are_named_commented_out_and_the_host_converges()
    {
        // Given a host where a later-sorting file and /etc/sysctl.conf (read last by sysctl --system) set the key
        await using var host = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        specs.Write("sysctl.yaml", Spec());
        await host.ExecAsync($"printf '# local tuning\\n{Key} = 512\\n' > /etc/sysctl.d/zzz-local.conf");
        await host.ExecAsync($"echo '{Key}=1024' >> /etc/sysctl.conf");
        var confLine = (await host.ExecAsync("wc -l < /etc/sysctl.conf")).Stdout.Trim();

        // When we plan, both lines are named with file:line and the plan says apply comments them out
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains($"boot would override {Managed} with /etc/sysctl.d/zzz-local.conf:2, /etc/sysctl.conf:{confLine}: apply comments those lines out", plan.Stdout);
        Assert.Contains("/etc/sysctl.d/zzz-local.conf:2 sets 512", plan.Stdout);

        // When we apply, it verifies
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Contains("verified", apply.Stdout);

        // Then the lines carry the marker, everything else is kept, and no uncommented line anywhere boot reads sets another value
        Assert.Equal($"# local tuning\n# reconciler: overridden by {Managed}: {Key} = 512\n", (await host.ExecAsync("cat /etc/sysctl.d/zzz-local.conf")).Stdout);
        Assert.Equal($"# reconciler: overridden by {Managed}: {Key}=1024", (await host.ExecAsync($"sed -n {confLine}p /etc/sysctl.conf")).Stdout.Trim());
        var assignments = (await host.ExecAsync(
            $"cat /etc/sysctl.d/*.conf /run/sysctl.d/*.conf /usr/local/lib/sysctl.d/*.conf /usr/lib/sysctl.d/*.conf /lib/sysctl.d/*.conf /etc/sysctl.conf 2>/dev/null | grep -v '^[[:space:]]*[#;]' | grep '{Key}'")).Stdout;
        Assert.Equal($"{Key} = 16000", assignments.Trim());
        Assert.Equal("16000", (await host.ExecAsync($"cat /proc/sys/net/ipv4/tcp_max_syn_backlog")).Stdout.Trim());

        // And a new plan, whose fresh read computes the value the next boot sets, has nothing to do
        var again = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("web1: no changes", again.Stdout);
    }

    [Fact]
    public async Task Conflicts_block_makes_the_overridden_sysctl_blocked_and_apply_touches_nothing()
    {
        await using var host = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        specs.Write("sysctl.yaml", Spec().Replace("value: 16000", "value: 16000\n    conflicts: block", StringComparison.Ordinal));
        await host.ExecAsync($"printf '{Key} = 512\\n' > /etc/sysctl.d/zzz-local.conf");
        var live = (await host.ExecAsync("cat /proc/sys/net/ipv4/tcp_max_syn_backlog")).Stdout.Trim();

        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 1, plan.ToString());
        Assert.Contains($"boot would override {Managed} with /etc/sysctl.d/zzz-local.conf:1 (512); conflicts: block leaves it", plan.Stdout);

        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.NotEqual(0, apply.ExitCode);
        Assert.Equal($"{Key} = 512\n", (await host.ExecAsync("cat /etc/sysctl.d/zzz-local.conf")).Stdout);
        Assert.NotEqual(0, (await host.ExecAsync($"test -e {Managed}")).ExitCode);
        Assert.Equal(live, (await host.ExecAsync("cat /proc/sys/net/ipv4/tcp_max_syn_backlog")).Stdout.Trim());
    }

    [Fact]
    public async Task The_persisted_read_takes_files_in_the_order_procps_sysctl_system_applies_them()
    {
        // A plain container (read-only /proc/sys, no capabilities): procps' dry run can write nothing there.
        var container = new ContainerBuilder(DebianHost.Image)
            .WithImagePullPolicy(PullPolicy.Never)
            .WithLabel(DebianHost.TestLabel, "true")
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("Server listening", o => o.WithTimeout(TimeSpan.FromSeconds(60))))
            .Build();
        await using var _ = container;
        await container.StartAsync();

        // Given files in every directory, a same-name file masked by an earlier directory, a dot file and names that
        // sort differently by locale than by strcmp; each sets a net.* key so each shows in the read
        var setup = string.Join(" && ",
            "mkdir -p /run/sysctl.d /usr/local/lib/sysctl.d",
            "echo 'net.core.somaxconn = 1' > /etc/sysctl.d/zzz-local.conf",
            "echo 'net.core.somaxconn = 2' > /run/sysctl.d/zzz-local.conf",
            "echo 'net.core.somaxconn = 3' > /usr/local/lib/sysctl.d/b.conf",
            "echo 'net.core.somaxconn = 4' > /etc/sysctl.d/.hidden.conf",
            "echo 'net.core.somaxconn = 5' > /etc/sysctl.d/Z.conf",
            "echo '-net/core/somaxconn = 6' > /run/sysctl.d/_x.conf",
            "echo 'net.core.somaxconn = 7' > /usr/lib/sysctl.d/10-a.conf",
            "echo 'net.core.somaxconn = 8' >> /etc/sysctl.conf");
        var made = await container.ExecAsync(["sh", "-c", setup]);
        Assert.True(made.ExitCode == 0, made.Stderr);

        // When procps lists the files it applies, and the read lists the files it took assignments from
        var procps = await container.ExecAsync(["sh", "-c", "sysctl --system --dry-run 2>/dev/null | sed -n 's/^\\* Applying \\(.*\\) \\.\\.\\.$/\\1/p'"]);
        var read = await container.ExecAsync(["sh", "-c", SysctlFacts.PersistedQuery.Script]);
        Assert.True(read.ExitCode == 0, read.Stderr);

        // Then they are the same files in the same order, /etc/sysctl.conf last
        var expected = procps.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var files = read.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('\t')).Where(f => f[0] == "P").Select(f => f[2])
            .Aggregate(new List<string>(), (list, f) => { if (list.Count == 0 || list[^1] != f) list.Add(f); return list; });
        Assert.Contains("/etc/sysctl.d/.hidden.conf", expected);
        Assert.Equal(expected, files);
        Assert.Equal("/etc/sysctl.conf", files[^1]);
    }

    [Fact]
    public async Task With_proc_sys_read_only_a_live_value_already_right_is_persisted_and_a_different_one_is_refused_in_plain_words()
    {
        // Given a container as Docker starts it by default: /proc/sys read-only
        await using var host = await DebianHost.StartAsync(readOnlyProcSys: true);
        var live = (await host.ExecAsync("cat /proc/sys/net/ipv4/tcp_max_syn_backlog")).Stdout.Trim();
        Assert.NotEqual(0, (await host.ExecAsync("echo 1 > /proc/sys/net/ipv4/tcp_max_syn_backlog")).ExitCode);
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);

        // When the declared value is the live one, apply persists it without writing /proc/sys, and the host converges
        specs.Write("sysctl.yaml", Spec().Replace("value: 16000", $"value: {live}", StringComparison.Ordinal));
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal($"{Key} = {live}", (await host.ExecAsync($"grep -v '^#' {Managed}")).Stdout.Trim());
        Assert.Equal(0, (await CliRun.ExecAsync("plan", "--specs", specs.Directory)).ExitCode);

        // When it differs, apply fails for that sysctl saying why, and persists nothing
        specs.Write("sysctl.yaml", Spec().Replace("value: 16000", $"value: {int.Parse(live, System.Globalization.CultureInfo.InvariantCulture) + 1}", StringComparison.Ordinal));
        var refused = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("is read-only (as /proc/sys is in most containers); nothing persisted", refused.Stdout + refused.Stderr);
        Assert.DoesNotContain("Read-only file system", refused.Stdout + refused.Stderr);
        Assert.Equal($"{Key} = {live}", (await host.ExecAsync($"grep -v '^#' {Managed}")).Stdout.Trim());
    }
}
