using Reconciler.Core.Engine;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.GitOps;

/// <summary>The lock scripts themselves, run with /bin/sh against a temp directory standing in for /var/lib/reconciler.</summary>
public sealed class HostLockTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private HostLock Lock(string holder, int ttlSeconds = 900) => new(_dir["root"], holder, TimeSpan.FromSeconds(ttlSeconds));

    private static LockAnswer Acquire(HostLock hostLock) =>
        HostLock.Parse(LocalShell.Lines(LocalShell.Run("(\n" + hostLock.AcquireScript() + "\n) 2>&1").Stdout));

    [Fact]
    public void The_first_run_acquires_and_writes_holder_and_since()
    {
        var answer = Acquire(Lock("ctl pid 1 run a"));

        Assert.Equal(LockStatus.Acquired, answer.Status);
        var owner = File.ReadAllText(Path.Combine(_dir["root"], "lock", "owner"));
        Assert.Contains("holder=ctl pid 1 run a\n", owner);
        Assert.Matches(@"since=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n", owner);
    }

    [Fact]
    public void A_second_run_is_told_who_holds_the_lock_and_since_when()
    {
        Acquire(Lock("ctl pid 1 run a"));

        var answer = Acquire(Lock("ctl pid 2 run b"));

        Assert.Equal(LockStatus.Held, answer.Status);
        Assert.Equal("ctl pid 1 run a", answer.Holder);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT", answer.Since);
    }

    [Fact]
    public void Release_by_the_holder_frees_the_lock_and_release_by_another_run_does_not()
    {
        var first = Lock("ctl pid 1 run a");
        Acquire(first);

        LocalShell.Run(Lock("ctl pid 2 run b").ReleaseScript());
        Assert.True(Directory.Exists(Path.Combine(_dir["root"], "lock")));

        LocalShell.Run(first.ReleaseScript());
        Assert.False(Directory.Exists(Path.Combine(_dir["root"], "lock")));
        Assert.Equal(LockStatus.Acquired, Acquire(Lock("ctl pid 2 run b")).Status);
    }

    [Fact]
    public void A_lock_older_than_the_ttl_written_by_hand_is_taken_over_and_the_old_holder_reported()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir["root"], "lock")).FullName;
        File.WriteAllText(Path.Combine(dir, "owner"), "holder=crashed-ci pid 9\nsince=2020-01-01T00:00:00Z\n");

        var answer = Acquire(Lock("ctl pid 2 run b"));

        Assert.Equal(LockStatus.TakenOver, answer.Status);
        Assert.Equal("crashed-ci pid 9", answer.Holder);
        Assert.Equal("2020-01-01T00:00:00Z", answer.Since);
        Assert.Contains("holder=ctl pid 2 run b", File.ReadAllText(Path.Combine(dir, "owner")));
        Assert.False(Directory.Exists(dir + ".takeover"));
    }

    [Fact]
    public void A_fresh_lock_is_not_taken_over()
    {
        Acquire(Lock("ctl pid 1 run a"));

        Assert.Equal(LockStatus.Held, Acquire(Lock("ctl pid 2 run b", ttlSeconds: 900)).Status);
    }

    [Fact]
    public void Of_many_runs_racing_for_a_free_lock_exactly_one_acquires()
    {
        var answers = Enumerable.Range(0, 8).AsParallel().WithDegreeOfParallelism(8)
            .Select(i => Acquire(Lock($"ctl pid {i}"))).ToList();

        Assert.Single(answers, a => a.Acquired);
    }

    [Fact]
    public void Of_many_runs_racing_for_a_stale_lock_exactly_one_takes_it_over()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir["root"], "lock")).FullName;
        File.WriteAllText(Path.Combine(dir, "owner"), "holder=crashed\nsince=2020-01-01T00:00:00Z\nepoch=1577836800\n");

        var answers = Enumerable.Range(0, 8).AsParallel().WithDegreeOfParallelism(8)
            .Select(i => Acquire(Lock($"ctl pid {i}"))).ToList();

        Assert.Single(answers, a => a.Acquired);
    }
}
