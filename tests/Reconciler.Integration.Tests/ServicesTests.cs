using System.Text.RegularExpressions;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>
/// Issue 17 item 2: services on a host whose PID 1 is systemd and on a plain container (init scripts and update-rc.d):
/// enable, start, restart once when two watched files change, stop, disable; a masked unit; a unit that fails to start.
/// Each start of the demo service appends "start" to its log, so restarts are counted.
/// </summary>
public sealed class ServicesTests
{
    private const string Log = "/var/log/rc-demo.log";

    private static string Spec(string body) => "kind: resources\ntarget: { host: h1 }\n" + body;

    private static string Demo(bool enabled, bool running, string a, string b) => Spec(
        $"files:\n  - {{ path: /etc/rc-demo/a.conf, content: \"{a}\\n\" }}\n  - {{ path: /etc/rc-demo/b.conf, content: \"{b}\\n\" }}\n" +
        $"services:\n  - name: rc-demo\n    enabled: {(enabled ? "true" : "false")}\n    running: {(running ? "true" : "false")}\n" +
        "    restart_when: [ \"file[/etc/rc-demo/a.conf]\", \"file[/etc/rc-demo/b.conf]\" ]\n");

    private static async Task<int> Starts(DebianHost host) =>
        Regex.Matches((await host.ExecAsync($"cat {Log} 2>/dev/null")).Stdout, "^start$", RegexOptions.Multiline).Count;

    [Fact]
    public async Task On_systemd_services_are_enabled_started_restarted_once_stopped_disabled_and_masked_or_failing_units_are_plain_errors()
    {
        // Given a host running systemd with a demo unit (disabled, stopped), a masked unit and a unit that cannot start
        await using var host = await DebianHost.StartSystemdAsync();
        var setup = await host.ExecAsync(
            "mkdir -p /etc/rc-demo && printf '[Unit]\\nDescription=demo\\n[Service]\\nExecStartPre=/bin/sh -c \"echo start >> " + Log + "\"\\n" +
            "ExecStart=/bin/sleep infinity\\n[Install]\\nWantedBy=multi-user.target\\n' > /etc/systemd/system/rc-demo.service && " +
            "printf '[Service]\\nType=oneshot\\nExecStart=/bin/sh -c \"echo broken-config-line-7 >&2; exit 3\"\\n[Install]\\nWantedBy=multi-user.target\\n' > /etc/systemd/system/rc-broken.service && " +
            "systemctl mask rc-masked.service && systemctl daemon-reload && systemctl is-system-running --wait");
        Assert.True(setup.ExitCode == 0, setup.Stdout + setup.Stderr);
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("h1", host, DebianHost.RootUser, "svc")]);

        // An address that names nothing declared is a spec error at its line
        specs.Write("hosts/svc.yaml", Spec("services:\n  - name: rc-demo\n    restart_when: [ \"file[/etc/nowhere.conf]\" ]\n"));
        var unknown = await CliRun.ExecAsync("validate", "--specs", specs.Directory);
        Assert.True(unknown.ExitCode == 1, unknown.ToString());
        Assert.Matches(@"svc\.yaml:5:\d+: error RC3006: service\[rc-demo\] watches file\[/etc/nowhere\.conf\], which is not declared for this host", unknown.Stdout + unknown.Stderr);

        // When enabled and running are planned, then applied
        specs.Write("hosts/svc.yaml", Demo(enabled: true, running: true, "one", "one"));
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("service[rc-demo]", plan.Stdout);
        Assert.Contains("through systemd", plan.Stdout);
        Assert.Contains("enabled: disabled → enabled", plan.Stdout);
        Assert.Contains("running: stopped → running", plan.Stdout);
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal("enabled\n", (await host.ExecAsync("systemctl is-enabled rc-demo.service")).Stdout);
        Assert.Equal("active\n", (await host.ExecAsync("systemctl is-active rc-demo.service")).Stdout);
        Assert.Equal(1, await Starts(host));
        Assert.True((await CliRun.ExecAsync("plan", "--specs", specs.Directory)).ExitCode == 0);

        // When both watched files change: the plan shows one restart with its reason, and apply restarts once
        specs.Write("hosts/svc.yaml", Demo(enabled: true, running: true, "two", "two"));
        var changed = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(changed.ExitCode == 2, changed.ToString());
        Assert.Single(Regex.Matches(changed.Stdout, @"restart: \(unset\) → rc-demo: because file\[/etc/rc-demo/a\.conf\], file\[/etc/rc-demo/b\.conf\] change"));
        var restart = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(restart.ExitCode == 0, restart.ToString());
        Assert.Equal(2, await Starts(host));
        Assert.Equal("two\n", (await host.ExecAsync("cat /etc/rc-demo/a.conf")).Stdout);
        Assert.True((await CliRun.ExecAsync("plan", "--specs", specs.Directory)).ExitCode == 0);

        // When stopped and disabled (files unchanged): no restart, just the stop
        specs.Write("hosts/svc.yaml", Demo(enabled: false, running: false, "two", "two"));
        var stop = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.Equal("disabled\n", (await host.ExecAsync("systemctl is-enabled rc-demo.service")).Stdout);
        Assert.Equal("inactive\n", (await host.ExecAsync("systemctl is-active rc-demo.service")).Stdout);
        Assert.Equal(2, await Starts(host));
        Assert.True((await CliRun.ExecAsync("plan", "--specs", specs.Directory)).ExitCode == 0);

        // A masked unit: a wish it already satisfies is no change; one it cannot meet is blocked with the reason
        specs.Write("hosts/svc.yaml", Spec("services:\n  - { name: rc-masked, enabled: false, running: false }\n"));
        Assert.True((await CliRun.ExecAsync("plan", "--specs", specs.Directory)).ExitCode == 0);
        specs.Write("hosts/svc.yaml", Spec("services:\n  - { name: rc-masked, running: true }\n"));
        var masked = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.Contains("rc-masked.service is masked", masked.Stdout);
        Assert.Equal("masked\n", (await host.ExecAsync("systemctl is-enabled rc-masked.service")).Stdout);

        // A unit that fails to start: a failed apply whose error carries its status's last lines
        specs.Write("hosts/svc.yaml", Spec("services:\n  - { name: rc-broken, running: true }\n"));
        var broken = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(broken.ExitCode == 1, broken.ToString());
        Assert.Contains("start rc-broken failed", broken.Stdout + broken.Stderr);
        Assert.Contains("broken-config-line-7", broken.Stdout + broken.Stderr);
    }

    [Fact]
    public async Task Without_systemd_init_scripts_and_update_rc_d_enable_start_restart_once_stop_and_disable()
    {
        // Given a plain container (no systemd) with a small LSB init script that logs each start
        await using var host = await DebianHost.StartAsync();
        const string script = """
            #!/bin/sh
            ### BEGIN INIT INFO
            # Provides:          rc-demo
            # Required-Start:
            # Required-Stop:
            # Default-Start:     2 3 4 5
            # Default-Stop:      0 1 6
            # Short-Description: demo
            ### END INIT INFO
            P=/run/rc-demo.pid
            running() { [ -f "$P" ] && kill -0 "$(cat "$P")" 2>/dev/null; }
            case "$1" in
              start) running && exit 0; echo start >> /var/log/rc-demo.log; sleep 100000 </dev/null >/dev/null 2>&1 & echo $! > "$P" ;;
              stop) running && kill "$(cat "$P")"; rm -f "$P" ;;
              restart) "$0" stop; "$0" start ;;
              status) running && exit 0; exit 3 ;;
              *) echo "usage: $0 start|stop|restart|status"; exit 2 ;;
            esac
            """;
        var setup = await host.ExecAsync($"mkdir -p /etc/rc-demo && printf '%s\\n' '{script.Replace("'", "'\\''")}' > /etc/init.d/rc-demo && chmod 755 /etc/init.d/rc-demo");
        Assert.True(setup.ExitCode == 0, setup.Stdout + setup.Stderr);
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("h1", host, DebianHost.RootUser, "svc")]);

        // When enabled and running are planned and applied
        specs.Write("hosts/svc.yaml", Demo(enabled: true, running: true, "one", "one"));
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("through sysv init scripts (/etc/init.d, update-rc.d)", plan.Stdout);
        Assert.Contains("enabled: disabled → enabled", plan.Stdout);
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal(0, (await host.ExecAsync("ls /etc/rc2.d/S*rc-demo")).ExitCode);
        Assert.Equal(0, (await host.ExecAsync("/etc/init.d/rc-demo status")).ExitCode);
        Assert.Equal(1, await Starts(host));
        Assert.True((await CliRun.ExecAsync("plan", "--specs", specs.Directory)).ExitCode == 0);

        // When both watched files change: one restart
        specs.Write("hosts/svc.yaml", Demo(enabled: true, running: true, "two", "two"));
        var restart = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(restart.ExitCode == 0, restart.ToString());
        Assert.Equal(2, await Starts(host));
        Assert.True((await CliRun.ExecAsync("plan", "--specs", specs.Directory)).ExitCode == 0);

        // When stopped and disabled
        specs.Write("hosts/svc.yaml", Demo(enabled: false, running: false, "two", "two"));
        var stop = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.NotEqual(0, (await host.ExecAsync("ls /etc/rc2.d/S*rc-demo")).ExitCode);
        Assert.Equal(3, (await host.ExecAsync("/etc/init.d/rc-demo status")).ExitCode);
        Assert.Equal(2, await Starts(host));
        Assert.True((await CliRun.ExecAsync("plan", "--specs", specs.Directory)).ExitCode == 0);

        // An init script that fails to start: a failed apply whose error carries the script's own last lines
        var broken = await host.ExecAsync(
            "printf '#!/bin/sh\n### BEGIN INIT INFO\n# Provides: rc-broken\n### END INIT INFO\ncase \"$1\" in start) echo sysv-broken-line-9; exit 1 ;; status) exit 3 ;; *) exit 0 ;; esac\n' > /etc/init.d/rc-broken && chmod 755 /etc/init.d/rc-broken");
        Assert.True(broken.ExitCode == 0, broken.Stderr);
        specs.Write("hosts/svc.yaml", Spec("services:\n  - { name: rc-broken, running: true }\n"));
        var failed = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(failed.ExitCode == 1, failed.ToString());
        Assert.Contains("start rc-broken failed (exit code 1)", failed.Stdout + failed.Stderr);
        Assert.Contains("sysv-broken-line-9", failed.Stdout + failed.Stderr);

        // Hostile review: a script that ignores its argument (Debian's rcS: `exec /etc/init.d/rc S`) and says it is no
        // service is never run by a plan, whatever name a pull request writes; the service is blocked
        var boot = await host.ExecAsync(
            "printf '#!/bin/sh\n# Provides: rc-boot (not in an LSB header)\ntouch /run/rc-boot-ran\n' > /etc/init.d/rc-boot && chmod 755 /etc/init.d/rc-boot");
        Assert.True(boot.ExitCode == 0, boot.Stderr);
        specs.Write("hosts/svc.yaml", Spec("services:\n  - { name: rc-boot, running: false }\n"));
        var bootPlan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.Contains("no LSB header that provides this name", bootPlan.Stdout);
        Assert.NotEqual(0, (await host.ExecAsync("test -e /run/rc-boot-ran")).ExitCode);
    }
}
