using System.Text.Json;
using System.Text.RegularExpressions;
using Reconciler.Core.Resources.Packages;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>
/// The packages kind against real dpkg and apt, hermetic: each test builds its own small .deb packages inside the
/// container with dpkg-deb, indexes them by hand into /srv/repo, and points apt at that directory only
/// (<c>deb [trusted=yes] file:/srv/repo ./</c>, every other source removed), so no test reaches a mirror.
/// </summary>
public sealed class PackagesTests
{
    /// <summary>
    /// rc-hello 1.0 and 2.0; rc-lib and rc-app (which depends on rc-lib); rc-conf 1.0 and 1.1, each shipping the conffile
    /// /etc/rc-conf.conf with its own text; rc-broken, whose postinst fails; rc-daemon, whose postinst starts a "daemon"
    /// through invoke-rc.d (which policy-rc.d governs) that would leave /run/rc-daemon.started.
    /// </summary>
    private const string BuildRepository = $$"""
        set -e
        mk() {
          d=$(mktemp -d); mkdir -p "$d/DEBIAN"
          printf 'Package: %s\nVersion: %s\nArchitecture: all\nMaintainer: t <t@example.org>\nDescription: test package %s\n' "$1" "$2" "$1" > "$d/DEBIAN/control"
          if [ -n "$3" ]; then printf 'Depends: %s\n' "$3" >> "$d/DEBIAN/control"; fi
          if [ -n "$4" ]; then printf '#!/bin/sh\n%s\n' "$4" > "$d/DEBIAN/postinst"; chmod 0755 "$d/DEBIAN/postinst"; fi
          if [ -n "$5" ]; then mkdir -p "$d/etc"; printf '%s\n' "$5" > "$d/etc/$1.conf"; echo "/etc/$1.conf" > "$d/DEBIAN/conffiles"; fi
          dpkg-deb --build --root-owner-group "$d" "/srv/repo/$1_$2_all.deb" >/dev/null
          rm -rf "$d"
        }
        mkdir -p /srv/repo
        mk rc-hello 1.0 '' '' ''
        mk rc-hello 2.0 '' '' ''
        mk rc-lib 1.0 '' '' ''
        mk rc-app 1.0 rc-lib '' ''
        mk rc-conf 1.0 '' '' 'shipped 1.0'
        mk rc-conf 1.1 '' '' 'shipped 1.1'
        mk rc-broken 1.0 '' 'echo rc-broken postinst fails >&2; exit 1' ''
        mk rc-daemon 1.0 '' 'invoke-rc.d rc-daemon start || true' ''
        mkdir -p /etc/init.d
        printf '#!/bin/sh\ntouch /run/rc-daemon.started\n' > /etc/init.d/rc-daemon; chmod 0755 /etc/init.d/rc-daemon
        {{IndexRepository}}
        rm -f /etc/apt/sources.list /etc/apt/sources.list.d/*
        echo 'deb [trusted=yes] file:/srv/repo ./' > /etc/apt/sources.list.d/reconciler-test.list
        apt-get update -q >/dev/null
        """;

    /// <summary>/srv/repo's index of the packages in it, written by hand as apt reads it.</summary>
    private const string IndexRepository = """
        cd /srv/repo
        for f in *.deb; do
          dpkg-deb -f "$f"
          printf 'Filename: ./%s\nSize: %s\nSHA256: %s\n\n' "$f" "$(stat -c %s "$f")" "$(sha256sum "$f" | cut -d' ' -f1)"
        done > Packages
        """;

    private static async Task<DebianHost> HostWithRepositoryAsync()
    {
        var host = await DebianHost.StartAsync();
        var built = await host.ExecAsync(BuildRepository);
        Assert.True(built.ExitCode == 0, built.Stdout + built.Stderr);
        return host;
    }

    private static string Spec(string body) => "kind: resources\ntarget: { host: web1 }\n" + body;

    private static async Task<string> Dpkg(DebianHost host, string name) =>
        (await host.ExecAsync($"dpkg-query -W -f='${{db:Status-Abbrev}}|${{Version}}|${{db:Status-Want}}' {name} 2>/dev/null || echo gone")).Stdout.Trim();

    private static async Task PlanApplyReplanAsync(DebianHost host, SpecsWorkspace specs, params string[] planShows)
    {
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 2, plan.ToString());
        foreach (var shown in planShows)
        {
            Assert.True(plan.Stdout.Contains(shown, StringComparison.Ordinal), $"the plan does not show '{shown}':\n{plan}");
        }

        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, $"{plan}\n{apply}\n{(await host.ExecAsync("dpkg -l 'rc-*'; tail -n 30 /var/log/apt/term.log /var/log/dpkg.log")).Stdout}");
        Assert.Contains("verified", apply.Stdout);
        var again = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("web1: no changes", again.Stdout);
    }

    [Fact]
    public async Task Install_pin_upgrade_downgrade_hold_remove_and_purge_each_plan_apply_and_converge()
    {
        // Given a host whose apt sees only the test's own repository
        await using var host = await HostWithRepositoryAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);

        // Install: the plan shows the dependency apt adds, with its version, and the one apt call's note
        specs.Write("packages.yaml", Spec("packages:\n  - { name: rc-app }\n  - { name: rc-hello, version: \"1.0\" }\n  - { name: rc-conf, version: \"1.0\" }\n  - { name: rc-daemon }\n"));
        await PlanApplyReplanAsync(host, specs,
            "+ package[rc-app]", "apt installs rc-lib: (unset) → 1.0", "+ package[rc-hello]", "version: (unset) → 1.0", "one apt call for 4 package change(s)");
        Assert.Equal("ii |1.0|install", await Dpkg(host, "rc-lib"));
        Assert.Equal("ii |1.0|install", await Dpkg(host, "rc-hello"));
        // No daemon was started by the install: policy-rc.d refused it, and it is gone again after the call
        Assert.NotEqual(0, (await host.ExecAsync("test -e /run/rc-daemon.started")).ExitCode);
        Assert.NotEqual(0, (await host.ExecAsync("test -e /usr/sbin/policy-rc.d")).ExitCode);

        // Upgrade and hold
        specs.Write("packages.yaml", Spec("packages:\n  - { name: rc-app }\n  - { name: rc-hello, version: \"2.0\", hold: true }\n  - { name: rc-conf, version: \"1.0\" }\n  - { name: rc-daemon }\n"));
        await PlanApplyReplanAsync(host, specs, "~ package[rc-hello]", "version: 1.0 → 2.0", "hold: not held → held");
        Assert.Equal("hi |2.0|hold", await Dpkg(host, "rc-hello"));

        // Downgrade of a held package, still held
        specs.Write("packages.yaml", Spec("packages:\n  - { name: rc-app }\n  - { name: rc-hello, version: \"1.0\", hold: true }\n  - { name: rc-conf, version: \"1.0\" }\n  - { name: rc-daemon }\n"));
        await PlanApplyReplanAsync(host, specs, "version: 2.0 → 1.0");
        Assert.Equal("hi |1.0|hold", await Dpkg(host, "rc-hello"));

        // An upgrade keeps a locally edited config file (confold) and never prompts
        await host.ExecAsync("echo 'edited here' > /etc/rc-conf.conf");
        specs.Write("packages.yaml", Spec("packages:\n  - { name: rc-app }\n  - { name: rc-hello, version: \"1.0\", hold: true }\n  - { name: rc-conf, version: \"1.1\" }\n  - { name: rc-daemon }\n"));
        await PlanApplyReplanAsync(host, specs, "~ package[rc-conf]", "version: 1.0 → 1.1");
        Assert.Equal("ii |1.1|install", await Dpkg(host, "rc-conf"));
        Assert.Equal("edited here", (await host.ExecAsync("cat /etc/rc-conf.conf")).Stdout.Trim());

        // Remove a library: apt also removes its dependent, which the spec does not name — shown as a deleted part
        specs.Write("packages.yaml", Spec("packages:\n  - { name: rc-lib, state: absent }\n  - { name: rc-hello, version: \"1.0\", hold: false }\n  - { name: rc-conf, state: absent }\n"));
        await PlanApplyReplanAsync(host, specs, "- package[rc-lib]", "apt removes rc-app: 1.0 → deleted", "hold: held → not held", "- package[rc-conf]");
        // (neither ships a config file, so dpkg forgets both; rc-conf keeps its edited one)
        Assert.Equal("gone", await Dpkg(host, "rc-lib"));
        Assert.Equal("gone", await Dpkg(host, "rc-app"));
        Assert.Equal("rc |1.1|deinstall", await Dpkg(host, "rc-conf"));
        Assert.Equal("ii |1.0|install", await Dpkg(host, "rc-hello"));
        Assert.Equal("edited here", (await host.ExecAsync("cat /etc/rc-conf.conf")).Stdout.Trim());

        // Purge: the config file goes too
        specs.Write("packages.yaml", Spec("packages:\n  - { name: rc-conf, state: purged }\n"));
        await PlanApplyReplanAsync(host, specs, "- package[rc-conf]", "state: removed, config files kept (1.1) → purged");
        Assert.Equal("gone", await Dpkg(host, "rc-conf"));
        Assert.NotEqual(0, (await host.ExecAsync("test -e /etc/rc-conf.conf")).ExitCode);
    }

    [Fact]
    public async Task A_version_not_in_the_lists_is_blocked_and_a_refresh_runs_only_when_the_lists_are_older_than_asked()
    {
        // Given a host whose lists are two hours old
        await using var host = await HostWithRepositoryAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        await host.ExecAsync("touch -h -d '2 hours ago' /var/lib/apt/lists/*");

        // A version no list offers is a blocked resource in the plan, naming what is offered
        specs.Write("packages.yaml", Spec("packages:\n  - { name: rc-hello, version: \"3.0\" }\n  - { name: rc-nosuch }\n"));
        var blocked = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.Contains("version 3.0 of rc-hello is not in this host's apt lists (they offer 2.0, 1.0)", blocked.Stdout);
        Assert.Contains("rc-nosuch is not in this host's apt lists", blocked.Stdout);

        // When the spec asks for lists no older than an hour, the plan says apt-get update runs first
        specs.Write("packages.yaml", Spec("apt:\n  refresh: { max_age: 1h }\npackages:\n  - { name: rc-hello }\n"));
        await PlanApplyReplanAsync(host, specs, "apt lists: updated 2h 0m ago → apt-get update first (max_age 1h 0m)", "version: (unset) → 2.0");
        Assert.Equal("ii |2.0|install", await Dpkg(host, "rc-hello"));
    }

    [Fact]
    public async Task On_a_host_whose_lists_were_never_updated_a_declared_package_is_installed_after_the_refresh()
    {
        // Given a host with no apt lists at all, as a fresh Debian host or container has
        await using var host = await HostWithRepositoryAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        await host.ExecAsync($"rm -rf /var/lib/apt/lists/* {AptRead.UpdateStamp}");

        // The package the lists lack now is planned from the lists the refresh brings, not blocked, and is installed
        specs.Write("packages.yaml", Spec("apt:\n  refresh: { max_age: 1d }\npackages:\n  - { name: rc-hello }\n"));
        await PlanApplyReplanAsync(host, specs,
            "+ package[rc-hello]", "version: (unset) → the updated lists' candidate", "apt lists: none → apt-get update first (max_age 1d 0h)");
        Assert.Equal("ii |2.0|install", await Dpkg(host, "rc-hello"));
    }

    [Fact]
    public async Task Lists_deleted_after_a_refresh_are_refreshed_again_though_the_last_refresh_is_recent()
    {
        // Given a host on which apply refreshed the lists (so its last-refresh stamp is recent) and installed rc-hello
        await using var host = await HostWithRepositoryAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        await host.ExecAsync("touch -h -d '2 days ago' /var/lib/apt/lists/*");
        specs.Write("packages.yaml", Spec("apt:\n  refresh: { max_age: 1d }\npackages:\n  - { name: rc-hello }\n"));
        await PlanApplyReplanAsync(host, specs, "apt lists: updated 2d 0h ago → apt-get update first (max_age 1d 0h)");

        // When rc-hello is removed and the lists deleted by hand, the stamp stays
        var removed = await host.ExecAsync($"apt-get remove -y -q rc-hello >/dev/null && rm -rf /var/lib/apt/lists/* && test -e {AptRead.UpdateStamp}");
        Assert.True(removed.ExitCode == 0, removed.ToString());

        // Lists that are missing are due: the plan refreshes them first and installs rc-hello from them, not blocked
        await PlanApplyReplanAsync(host, specs,
            "+ package[rc-hello]", "version: (unset) → the updated lists' candidate", "apt lists: none → apt-get update first (max_age 1d 0h)");
        Assert.Equal("ii |2.0|install", await Dpkg(host, "rc-hello"));
    }

    [Fact]
    public async Task A_refresh_that_brings_no_lists_is_a_clear_error_and_nothing_is_installed()
    {
        // Given a host with no apt source and no lists (a refresh can bring none)
        await using var host = await HostWithRepositoryAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        await host.ExecAsync("rm -f /etc/apt/sources.list.d/* && rm -rf /var/lib/apt/lists/*");
        specs.Write("packages.yaml", Spec("apt:\n  refresh: { max_age: 1d }\npackages:\n  - { name: rc-hello }\n"));

        // The plan refreshes first, as for any host without lists
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("apt lists: none → apt-get update first (max_age 1d 0h)", plan.Stdout);

        // apt-get update succeeds and brings nothing: apply says so, installs nothing and records no refresh
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 1, apply.ToString());
        Assert.Contains("apt-get update left no package lists on the host", apply.ToString());
        Assert.Equal("gone", await Dpkg(host, "rc-hello"));
        Assert.NotEqual(0, (await host.ExecAsync($"test -e {AptRead.UpdateStamp}")).ExitCode);
    }

    /// <summary>A person who reads the plan for a while: the host's lists are older at apply's re-plan than at the plan shown.</summary>
    private static AnswerAfter YesAfterReading() => new(() => Thread.Sleep(TimeSpan.FromSeconds(2)), "yes");

    private static string FingerprintOf(string planJson, string address) =>
        JsonDocument.Parse(planJson).RootElement.GetProperty("hosts")[0].GetProperty("changes").EnumerateArray()
            .Single(c => c.GetProperty("address").GetString() == address).GetProperty("fingerprint").GetString()!;

    [Fact]
    public async Task With_a_refresh_declared_on_a_host_that_has_lists_the_plan_shown_is_applied_when_the_answer_is_yes()
    {
        // Given a host whose lists are two days old, as an image that ran apt-get update when it was built
        await using var host = await HostWithRepositoryAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        await host.ExecAsync("touch -h -d '2 days ago' /var/lib/apt/lists/*");
        specs.Write("packages.yaml", Spec("apt:\n  refresh: { max_age: 1d }\npackages:\n  - { name: rc-hello }\n"));

        // The refresh is due: the plan shown says so, and "yes" applies it (the lists' age at the re-plan is not the plan's)
        var due = await CliRun.ExecAtTerminalAsync(YesAfterReading(), "apply", "--specs", specs.Directory);
        Assert.True(due.ExitCode == 0, due.ToString());
        Assert.Contains("apt lists: updated 2d 0h ago → apt-get update first (max_age 1d 0h)", due.Stdout);
        Assert.Contains("✓ create package[rc-hello]", due.Stdout);
        Assert.Equal("ii |2.0|install", await Dpkg(host, "rc-hello"));

        // The lists are fresh now: no refresh is due, and the next change is applied the same way
        specs.Write("packages.yaml", Spec("apt:\n  refresh: { max_age: 1d }\npackages:\n  - { name: rc-hello }\n  - { name: rc-app }\n"));
        var fresh = await CliRun.ExecAtTerminalAsync(YesAfterReading(), "apply", "--specs", specs.Directory);
        Assert.True(fresh.ExitCode == 0, fresh.ToString());
        Assert.DoesNotContain("apt lists", fresh.Stdout);
        Assert.Contains("✓ create package[rc-app]", fresh.Stdout);
        Assert.Equal("ii |1.0|install", await Dpkg(host, "rc-app"));
        var again = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(again.ExitCode == 0, again.ToString());
    }

    [Fact]
    public async Task With_a_refresh_declared_a_saved_plan_applies_while_the_lists_are_as_planned_and_is_refused_once_they_change_it()
    {
        // Given a host with lists and a spec that refreshes them when they are older than a day
        await using var host = await HostWithRepositoryAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        specs.Write("packages.yaml", Spec("apt:\n  refresh: { max_age: 1d }\npackages:\n  - { name: rc-hello }\n"));
        var planFile = Path.Combine(specs.Directory, "..", Path.GetFileName(specs.Directory) + "-plan.json");
        var laterFile = planFile + ".later";
        try
        {
            // Two plans some seconds apart fingerprint the package alike: the lists are older, the plan is the same
            Assert.Equal(2, (await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--format", "json", "--out", planFile)).ExitCode);
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Equal(2, (await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--format", "json", "--out", laterFile)).ExitCode);
            Assert.Equal(FingerprintOf(File.ReadAllText(planFile), "package[rc-hello]"), FingerprintOf(File.ReadAllText(laterFile), "package[rc-hello]"));

            // The saved plan applies
            var apply = await CliRun.ExecAsync("apply", "--specs", specs.Directory, "--plan", planFile);
            Assert.True(apply.ExitCode == 0, apply.ToString());
            Assert.Equal("ii |2.0|install", await Dpkg(host, "rc-hello"));

            // A saved plan whose host's lists then offer another candidate is refused: what it planned no longer holds
            specs.Write("packages.yaml", Spec("apt:\n  refresh: { max_age: 1d }\npackages:\n  - { name: rc-hello }\n  - { name: rc-app }\n"));
            var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--format", "json", "--out", planFile);
            Assert.Equal(2, plan.ExitCode);
            Assert.Contains("apt installs rc-lib", File.ReadAllText(planFile));
            var added = await host.ExecAsync($$"""
                set -e
                d=$(mktemp -d); mkdir -p "$d/DEBIAN"
                printf 'Package: rc-lib\nVersion: 2.0\nArchitecture: all\nMaintainer: t <t@example.org>\nDescription: a newer rc-lib\n' > "$d/DEBIAN/control"
                dpkg-deb --build --root-owner-group "$d" /srv/repo/rc-lib_2.0_all.deb >/dev/null
                {{IndexRepository}}
                apt-get update -q >/dev/null
                """);
            Assert.True(added.ExitCode == 0, added.ToString());
            var refused = await CliRun.ExecAsync("apply", "--specs", specs.Directory, "--plan", planFile);
            Assert.True(refused.ExitCode == 1, refused.ToString());
            Assert.Contains("package[rc-app]", refused.Stdout);
            Assert.Contains("changed on web1 since the plan", refused.Stdout);
            Assert.Equal("gone", await Dpkg(host, "rc-app"));
            Assert.Equal("gone", await Dpkg(host, "rc-lib"));

            // So is one that planned a refresh when the lists, unchanged but for their times, are no longer due one
            specs.Write("packages.yaml", Spec("apt:\n  refresh: { max_age: 1d }\npackages:\n  - { name: rc-conf }\n"));
            await host.ExecAsync("touch -h -d '2 days ago' /var/lib/apt/lists/*");
            Assert.Equal(2, (await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--format", "json", "--out", planFile)).ExitCode);
            Assert.Contains("apt-get update first", File.ReadAllText(planFile));
            await host.ExecAsync("touch -h /var/lib/apt/lists/*");
            var notDue = await CliRun.ExecAsync("apply", "--specs", specs.Directory, "--plan", planFile);
            Assert.True(notDue.ExitCode == 1, notDue.ToString());
            Assert.Contains("re-plan: package[rc-conf] changed on web1 since the plan", notDue.Stdout);
            Assert.Equal("gone", await Dpkg(host, "rc-conf"));
        }
        finally
        {
            File.Delete(planFile);
            File.Delete(laterFile);
        }
    }

    [Fact]
    public async Task A_package_planned_from_the_updated_lists_is_not_installed_when_apt_would_then_remove_a_package_the_plan_did_not_show()
    {
        // Given a host with rc-hello installed, and a package rc-evil (which conflicts with rc-hello) that the repository
        // offers but the host's two-hour-old lists do not know yet
        await using var host = await HostWithRepositoryAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        Assert.Equal(0, (await host.ExecAsync("apt-get install -y -q rc-hello=1.0 >/dev/null")).ExitCode);
        var added = await host.ExecAsync($$"""
            set -e
            # apt reads a file: source's index through a link in its lists: the lists keep a copy of the old one instead
            for l in /var/lib/apt/lists/*_Packages; do cp --remove-destination "$(readlink -f "$l")" "$l"; done
            d=$(mktemp -d); mkdir -p "$d/DEBIAN"
            printf 'Package: rc-evil\nVersion: 1.0\nArchitecture: all\nMaintainer: t <t@example.org>\nConflicts: rc-hello\nDescription: conflicts with rc-hello\n' > "$d/DEBIAN/control"
            dpkg-deb --build --root-owner-group "$d" /srv/repo/rc-evil_1.0_all.deb >/dev/null
            {{IndexRepository}}
            touch -h -d '2 hours ago' /var/lib/apt/lists/*
            """);
        Assert.True(added.ExitCode == 0, added.ToString());

        // The plan installs rc-evil from the lists the refresh brings; apt could not say then what else it would do
        specs.Write("packages.yaml", Spec("apt:\n  refresh: { max_age: 1h }\npackages:\n  - { name: rc-evil }\n"));
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("+ package[rc-evil]", plan.Stdout);
        Assert.DoesNotContain("rc-hello", plan.Stdout);

        // Apply refuses to let apt remove rc-hello, which nobody was shown: nothing is installed or removed
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 1, apply.ToString());
        Assert.Contains("apt would also remove rc-hello, which the plan did not show", apply.ToString());
        Assert.Equal("ii |1.0|install", await Dpkg(host, "rc-hello"));
        Assert.Equal("gone", await Dpkg(host, "rc-evil"));

        // The next plan, made from the updated lists, shows the removal
        var again = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.Contains("apt removes rc-hello: 1.0 → deleted", again.Stdout);
    }

    [Fact]
    public async Task A_failing_postinst_is_a_failed_apply_and_the_next_plan_shows_the_half_configured_package()
    {
        await using var host = await HostWithRepositoryAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        specs.Write("packages.yaml", Spec("packages:\n  - { name: rc-broken }\n"));

        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);

        Assert.True(apply.ExitCode == 1, apply.ToString());
        Assert.Contains("✗ create package[rc-broken]", apply.Stdout);
        Assert.Contains("apt-get install failed (exit 100)", apply.ToString());
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("~ package[rc-broken]", plan.Stdout);
        Assert.Contains("state: half-configured (1.0): its configuration failed → installed", plan.Stdout);
        Assert.NotEqual(0, (await host.ExecAsync("test -e /usr/sbin/policy-rc.d")).ExitCode);
    }

    [Fact]
    public async Task A_held_dpkg_lock_is_waited_for_up_to_the_bound_then_a_clear_error()
    {
        await using var host = await HostWithRepositoryAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        specs.Write("packages.yaml", Spec("apt:\n  lock_wait: 3s\npackages:\n  - { name: rc-hello }\n"));

        // Another apt holds the dpkg lock while it waits for an answer it will not get for 60 seconds
        await host.ExecAsync("setsid sh -c 'sleep 60 | apt-get install rc-app' >/dev/null 2>&1 < /dev/null &");
        var held = await host.ExecAsync("for i in $(seq 100); do for f in /proc/[0-9]*/fd/*; do [ \"$(readlink \"$f\" 2>/dev/null)\" = /var/lib/dpkg/lock-frontend ] && exit 0; done; sleep 0.2; done; exit 1");
        Assert.True(held.ExitCode == 0, "the other apt did not take the lock: " + held.Stdout + held.Stderr);

        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);

        Assert.True(apply.ExitCode == 1, apply.ToString());
        Assert.Contains("another process holds the dpkg/apt lock; waited 3s (apt.lock_wait), giving up", apply.ToString());
        Assert.Equal("gone", await Dpkg(host, "rc-hello"));
        Assert.Matches(new Regex(@"\+ package\[rc-hello\]"), (await CliRun.ExecAsync("plan", "--specs", specs.Directory)).Stdout);
    }
}
