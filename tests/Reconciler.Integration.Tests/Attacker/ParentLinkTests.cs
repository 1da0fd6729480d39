using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests.Attacker;

/// <summary>
/// The class "every component of a managed path" (issue 15, PathSafety): a local user who controls a directory on the
/// way to a managed file — their home — redirects a parent component (<c>mv ~/.ssh ~/.ssh.old &amp;&amp; ln -s /root/.ssh
/// ~/.ssh</c>) before the plan or between a saved plan and its apply; a spec names a path through a kernel view
/// (<c>/proc/self/cwd</c>); a managed path runs through a directory every user can write. None of them may make root
/// read or write what the user could not; the honest case, the user's own authorized_keys, is written as that user.
/// </summary>
public sealed class ParentLinkTests
{
    private const string Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIParentLinkTestsAttackerKey alice@laptop";

    /// <summary>What root's own authorized_keys and directory look like; the attacks must leave this unchanged.</summary>
    private const string RootKeys = "stat -c '%a %U:%G %i' /root/.ssh /root/.ssh/authorized_keys; sha256sum /root/.ssh/authorized_keys";

    private static async Task<(DebianHost Host, SpecsWorkspace Specs)> AliceAsync(string spec)
    {
        var host = await DebianHost.StartAsync();
        await host.ExecAsync("useradd -m -s /bin/sh alice && chmod 0755 /home/alice && su alice -c 'mkdir -m 0700 ~/.ssh'");
        var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        specs.Write("alice.yaml", spec);
        return (host, specs);
    }

    private const string AuthorizedKeys = $$"""
        kind: resources
        target: { group: hardened }
        files:
          - { path: /home/alice/.ssh/authorized_keys, content: "{{Key}}\n", owner: alice, mode: "0600" }
        """;

    [Fact]
    public async Task A_parent_link_planted_before_the_plan_is_blocked_naming_it_and_root_keys_stay_untouched()
    {
        // Given a spec managing alice's authorized_keys, and alice pointing her ~/.ssh at root's
        var (host, specs) = await AliceAsync(AuthorizedKeys);
        await using var _ = host;
        using var __ = specs;
        await host.ExecAsync("su alice -c 'mv ~/.ssh ~/.ssh.old && ln -s /root/.ssh ~/.ssh'");
        var before = (await host.ExecAsync(RootKeys)).Stdout;

        // When plan and a plain apply run
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);

        // Then the plan blocks it naming the link component, reads nothing through it, and apply writes nothing there
        Assert.Matches(@"!\s*file\[/home/alice/\.ssh/authorized_keys\]", plan.Stdout);
        Assert.Contains("/home/alice/.ssh is a symbolic link in a directory alice controls; not followed", plan.Stdout);
        Assert.DoesNotContain("root:root", plan.Stdout + apply.Stdout);
        Assert.DoesNotContain("world-readable", plan.Stdout);
        Assert.Equal(before, (await host.ExecAsync(RootKeys)).Stdout);
        Assert.DoesNotContain(Key, (await host.ExecAsync("cat /root/.ssh/authorized_keys")).Stdout);
    }

    [Fact]
    public async Task A_parent_link_swapped_in_between_a_saved_plan_and_its_apply_is_refused()
    {
        // Given a saved plan made while ~/.ssh was alice's own directory
        var (host, specs) = await AliceAsync(AuthorizedKeys);
        await using var _ = host;
        using var __ = specs;
        var planFile = Path.Combine(specs.Directory, "plan.json");
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--format", "json", "--out", planFile);
        Assert.True(plan.ExitCode == 2, plan.ToString());

        // When alice swaps ~/.ssh for a link to /root/.ssh, and the saved plan is applied
        await host.ExecAsync("su alice -c 'mv ~/.ssh ~/.ssh.old && ln -s /root/.ssh ~/.ssh'");
        var before = (await host.ExecAsync(RootKeys)).Stdout;
        var apply = await CliRun.ExecAsync("apply", "--specs", specs.Directory, "--plan", planFile);

        // Then the host is refused (the path changed since the plan) and root's keys are as they were
        Assert.True(apply.ExitCode == 1, apply.ToString());
        Assert.Equal(before, (await host.ExecAsync(RootKeys)).Stdout);
        Assert.DoesNotContain(Key, (await host.ExecAsync("cat /root/.ssh/authorized_keys")).Stdout);
    }

    [Fact]
    public async Task The_honest_authorized_keys_is_written_as_alice_and_converges()
    {
        // Given alice's own ~/.ssh, and a spec managing her authorized_keys
        var (host, specs) = await AliceAsync(AuthorizedKeys);
        await using var _ = host;
        using var __ = specs;

        // When it is applied, then planned again
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        var again = await CliRun.ExecAsync("plan", "--specs", specs.Directory);

        // Then the file is alice's, 0600, with the key; and the second plan has nothing to change
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal("600 alice:alice", (await host.ExecAsync("stat -c '%a %U:%G' /home/alice/.ssh/authorized_keys")).Stdout.Trim());
        Assert.Equal(Key + "\n", (await host.ExecAsync("cat /home/alice/.ssh/authorized_keys")).Stdout);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Empty((await host.ExecAsync("ls -A /home/alice/.ssh | grep -v '^authorized_keys$'")).Stdout.Trim());
    }

    [Fact]
    public async Task A_path_through_proc_self_cwd_shows_nothing_of_root_files()
    {
        // Given a note under /root (0700), and specs that reach it through the reading shell's working directory
        await using var host = await DebianHost.StartAsync();
        await host.ExecAsync("chmod 0700 /root && echo 'Canary-Root-Note-0123456789abcdef' > /root/.note && chmod 0644 /root/.note");
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        specs.Write("proc.yaml", """
            kind: resources
            target: { group: hardened }
            files:
              - { path: /proc/self/cwd/.note, content: "x\n" }
              - { path: /proc/1/cwd/root/.note, content: "x\n", follow: true }
            config_lines:
              - { path: /proc/self/cwd/.note, key: Canary, value: "x" }
            """);
        var before = (await host.ExecAsync("sha256sum /root/.note")).Stdout;

        // When plan and apply run
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);

        // Then each is blocked as a kernel view; nothing of the note is shown or changed
        Assert.Matches(@"!\s*file\[/proc/self/cwd/\.note\]", plan.Stdout);
        Assert.Contains("under /proc, /sys or /dev; kernel views are never managed", plan.Stdout);
        Assert.DoesNotContain("Canary-Root-Note", plan.Stdout + plan.Stderr + apply.Stdout + apply.Stderr);
        Assert.DoesNotContain("0123456789abcdef", plan.Stdout);
        Assert.Equal(before, (await host.ExecAsync("sha256sum /root/.note")).Stdout);
    }

    [Fact]
    public async Task A_directory_other_users_can_write_or_a_foreign_owner_is_an_unsafe_transition()
    {
        // Given a drop directory every user can write, and alice's home with a file declared as root's
        var (host, specs) = await AliceAsync("""
            kind: resources
            target: { group: hardened }
            files:
              - { path: /srv/drop/app/app.conf, content: "managed\n", mode: "0644" }
              - { path: /home/alice/.ssh/authorized_keys, content: "root's\n", owner: root, mode: "0600" }
            config_lines:
              - { path: /srv/drop/app/app.ini, key: level, value: "1", separator: "=" }
            """);
        await using var _ = host;
        using var __ = specs;
        await host.ExecAsync("mkdir -p /srv/drop/app && chmod 0777 /srv/drop && echo 'level=0' > /srv/drop/app/app.ini");
        var before = (await host.ExecAsync("ls -la /srv/drop/app /home/alice/.ssh; sha256sum /srv/drop/app/*")).Stdout;

        // When plan and apply run
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);

        // Then each is blocked naming the component or the owner, and nothing changes
        Assert.Matches(@"!\s*file\[/srv/drop/app/app\.conf\]", plan.Stdout);
        Assert.Contains("unsafe path transition: directory /srv/drop can be written by other users (777 root:root)", plan.Stdout);
        Assert.Matches(@"!\s*file\[/home/alice/\.ssh/authorized_keys\]", plan.Stdout);
        Assert.Contains("the declared owner root differs from alice", plan.Stdout);
        Assert.DoesNotContain("level=0", plan.Stdout);
        Assert.Equal(before, (await host.ExecAsync("ls -la /srv/drop/app /home/alice/.ssh; sha256sum /srv/drop/app/*")).Stdout);
        Assert.NotEqual(0, apply.ExitCode);
    }
}
