using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Shell;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Engine;

/// <summary>Issue 21: plan and drift see a held apply lock; a lock is stale only when its holder is provably gone; unlock clears only that holder's.</summary>
public sealed class HeldLockTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly HostSpec Spec = new("h", "10.0.0.1", 22, "root", "~/.ssh/id", "SHA256:x", [], new Dictionary<string, object?>());

    private static void Plant(string stateRoot, string holder, long epoch)
    {
        Directory.CreateDirectory(Path.Combine(stateRoot, "lock"));
        File.WriteAllText(Path.Combine(stateRoot, "lock", "owner"), $"holder={holder}\nsince=2026-12-07T10:00:00Z\nepoch={epoch}\n");
    }

    [Fact]
    public async Task A_plan_shows_the_held_lock_with_its_age_by_the_hosts_clock_and_none_when_free()
    {
        var transport = new FakeTransport();
        var state = new DesiredState([new HostDesiredState(Spec, [Res.File(Path.Combine(Directory.CreateDirectory(_dir["h"]).FullName, "motd"), "x\n")])]);
        var engine = new Reconciliation(transport, new ProviderRegistry([new FileProvider()]), new ReconcileOptions());

        Assert.Null((await engine.PlanAsync(state, null, CancellationToken.None)).Hosts[0].HeldLock);

        Plant(transport.StateRootOf("h"), "ci-runner pid 4242 run 0123456789ab", DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 120);
        var held = (await engine.PlanAsync(state, null, CancellationToken.None)).Hosts[0].HeldLock;

        Assert.NotNull(held);
        Assert.Equal("ci-runner pid 4242 run 0123456789ab", held.Holder);
        Assert.Equal("2026-12-07T10:00:00Z", held.Since);
        Assert.InRange(held.AgeSeconds!.Value, 119, 180);
        Assert.Equal(("ci-runner", 4242), held.Controller);
        // The read never touched the lock.
        Assert.True(Directory.Exists(Path.Combine(transport.StateRootOf("h"), "lock")));
    }

    [Fact]
    public void A_lock_is_stale_only_past_its_time_limit_or_when_its_process_on_this_machine_is_gone()
    {
        var ttl = TimeSpan.FromMinutes(15);
        var young = new HeldLock("me pid 10 run ab", null, 60);

        Assert.Null(young.WhyStale(ttl, "me", _ => true));
        Assert.Equal("its process, pid 10 on this machine (me), is gone", young.WhyStale(ttl, "me", _ => false));
        // Another machine's pid says nothing about this one's processes.
        Assert.Null(young.WhyStale(ttl, "other", _ => false));
        Assert.Equal("older than the lock's time limit of 15 min", (young with { AgeSeconds = 900 }).WhyStale(ttl, "other", _ => true));
        // A holder written by hand (not the reconciler's form) is stale only by age.
        Assert.Null(new HeldLock("someone", null, null).WhyStale(ttl, "me", _ => false));
    }

    [Theory]
    [InlineData("ci pid 1 run aa", "removed", false)]
    [InlineData("ci pid 2 run bb", "changed", true)]
    public void Clearing_removes_the_lock_only_while_the_same_holder_has_it(string asked, string answer, bool remains)
    {
        var root = _dir["clear"];
        Plant(root, "ci pid 1 run aa", 1);

        var result = LocalShell.Run(ApplyLocks.ClearScript(root, new HeldLock(asked, null, null)));

        Assert.Equal(answer, result.Stdout.Trim());
        Assert.Equal(remains, Directory.Exists(Path.Combine(root, "lock")));
        Assert.False(Directory.Exists(Path.Combine(root, "lock.takeover")));
        Assert.Equal("none", LocalShell.Run(ApplyLocks.ClearScript(_dir["empty"], new HeldLock(asked, null, null))).Stdout.Trim());
        Assert.DoesNotContain(Directory.GetDirectories(root), d => d.Contains("lock.", StringComparison.Ordinal));
    }

    [Fact]
    public void The_inspect_read_shows_only_what_any_local_user_could_read_bounded_and_without_control_characters()
    {
        var root = _dir["inspect"];
        Plant(root, "ci pid 1 run aa\u001b]0;owned\u0007", 1);
        var owner = Path.Combine(root, "lock", "owner");
        Assert.Equal(0, LocalShell.Run($"chmod 755 '{root}' '{root}/lock' && chmod 644 '{owner}'").ExitCode);

        var shown = ApplyLocks.ParseHeld(LocalShell.Run(ApplyLocks.InspectScript(root)).Stdout.Split('\n'));
        Assert.NotNull(shown);
        Assert.Equal("ci pid 1 run aa]0;owned", shown.Holder);
        // The name shown is the name unlock compares.
        Assert.Equal("removed", LocalShell.Run(ApplyLocks.ClearScript(root, shown)).Stdout.Trim());

        // An owner file other users may not read is not shown (a plan runs for whoever opens a pull request).
        Plant(root, "secret pid 2 run bb", 1);
        Assert.Equal(0, LocalShell.Run($"chmod 600 '{owner}'").ExitCode);
        Assert.Equal("an unknown holder", ApplyLocks.ParseHeld(LocalShell.Run(ApplyLocks.InspectScript(root)).Stdout.Split('\n'))!.Holder);

        // A FIFO in its place is never opened: the read neither hangs nor fails.
        File.Delete(owner);
        Assert.Equal(0, LocalShell.Run($"mkfifo '{owner}'").ExitCode);
        var started = DateTime.UtcNow;
        Assert.Equal("an unknown holder", ApplyLocks.ParseHeld(LocalShell.Run(ApplyLocks.InspectScript(root)).Stdout.Split('\n'))!.Holder);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Clearing_never_removes_a_lock_a_new_run_took_after_the_holder_was_read()
    {
        var root = _dir["race"];
        Plant(root, "old pid 1 run aa", 1);
        // The race, made certain: the first `head` (the owner read) lets the old holder release and a new run take the
        // lock right after it has read the old owner — between clear's compare and its removal.
        var shim = Directory.CreateDirectory(_dir["shim"]).FullName;
        File.WriteAllText(Path.Combine(shim, "head"), $$"""
            #!/bin/sh
            out=$(/usr/bin/head "$@")
            if [ ! -e '{{shim}}/raced' ]; then
              : > '{{shim}}/raced'
              rm -rf '{{root}}/lock'; mkdir '{{root}}/lock'; printf 'holder=new pid 2 run bb\n' > '{{root}}/lock/owner'
            fi
            printf '%s\n' "$out"
            """);
        Assert.Equal(0, LocalShell.Run($"chmod 755 '{shim}/head'").ExitCode);

        var answer = ApplyLocks.ParseCleared(LocalShell.Run($"PATH='{shim}':$PATH; export PATH\n" + ApplyLocks.ClearScript(root, new HeldLock("old pid 1 run aa", null, null))).Stdout);

        Assert.True(File.Exists(Path.Combine(shim, "raced")), "the race was not staged");
        Assert.Equal(new ClearAnswer(ClearStatus.Removed, null), answer);
        Assert.Equal("holder=new pid 2 run bb\n", File.ReadAllText(Path.Combine(root, "lock", "owner")));
        Assert.Equal([Path.Combine(root, "lock")], Directory.GetDirectories(root));
    }

    [Fact]
    public void An_owner_file_that_may_not_be_read_is_said_so_and_left_alone_and_a_missing_one_is_cleared_as_shown()
    {
        var root = _dir["unread"];
        Plant(root, "secret pid 2 run bb", 1);
        Assert.Equal(0, LocalShell.Run($"chmod 600 '{root}/lock/owner'").ExitCode);
        var shown = ApplyLocks.ParseHeld(LocalShell.Run(ApplyLocks.InspectScript(root)).Stdout.Split('\n'))!;
        Assert.Equal("an unknown holder", shown.Holder);

        Assert.Equal(new ClearAnswer(ClearStatus.Unreadable, null), ApplyLocks.ParseCleared(LocalShell.Run(ApplyLocks.ClearScript(root, shown)).Stdout));
        // Put back where it was, whole.
        Assert.Contains("holder=secret pid 2 run bb", File.ReadAllText(Path.Combine(root, "lock", "owner")));
        Assert.Equal([Path.Combine(root, "lock")], Directory.GetDirectories(root));

        // A lock left mid-creation has no owner file: shown as an unknown holder, and that is what is cleared.
        File.Delete(Path.Combine(root, "lock", "owner"));
        shown = ApplyLocks.ParseHeld(LocalShell.Run(ApplyLocks.InspectScript(root)).Stdout.Split('\n'))!;
        Assert.Equal(ClearStatus.Removed, ApplyLocks.ParseCleared(LocalShell.Run(ApplyLocks.ClearScript(root, shown)).Stdout).Status);
        Assert.False(Directory.Exists(Path.Combine(root, "lock")));
    }
}
