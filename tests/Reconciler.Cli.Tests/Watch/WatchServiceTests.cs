using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Cli.Features;
using Reconciler.Cli.Features.Watch;

namespace Reconciler.Cli.Tests.Watch;

/// <summary>The watch loop on a fake clock: no time passes unless the test advances it, so the schedule is exact.</summary>
public sealed class WatchServiceTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan NoCycle = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task Cycles_start_once_per_interval_and_not_before()
    {
        var (clock, cycle, service, _, _) = Build();
        await service.StartAsync(CancellationToken.None);
        await cycle.WaitForStartAsync(1);

        await clock.WaitForTimersAsync(1);
        clock.Advance(Hour - TimeSpan.FromSeconds(1));
        Assert.False(await cycle.AnyStartsWithinAsync(NoCycle), "a cycle started before the interval elapsed");
        clock.Advance(TimeSpan.FromSeconds(1));
        await cycle.WaitForStartAsync(2);
        await clock.WaitForTimersAsync(2);
        clock.Advance(Hour);
        await cycle.WaitForStartAsync(3);

        await service.StopAsync(CancellationToken.None);
        Assert.Equal([Start, Start + Hour, Start + 2 * Hour], cycle.StartTimes);
    }

    [Fact]
    public async Task A_failing_cycle_is_logged_and_the_next_one_runs_on_schedule()
    {
        var (clock, cycle, service, log, _) = Build(behaviour: (n, _) => n == 2
            ? throw new InvalidOperationException("web1 exploded")
            : Task.FromResult(ScriptedCycle.InSync(n)));
        await service.StartAsync(CancellationToken.None);
        await cycle.WaitForStartAsync(1);
        await clock.WaitForTimersAsync(1);
        clock.Advance(Hour);
        await cycle.WaitForStartAsync(2);
        await clock.WaitForTimersAsync(2);
        clock.Advance(Hour);
        await cycle.WaitForStartAsync(3);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal([Start, Start + Hour, Start + 2 * Hour], cycle.StartTimes);
        var failure = Assert.Single(log.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal(2, failure.Properties["Cycle"]);
        Assert.IsType<InvalidOperationException>(failure.Exception);
        Assert.Contains("web1 exploded", failure.Message);
        Assert.True(service.ExecuteTask!.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Each_cycle_is_one_structured_event_with_counts_hosts_and_exit_status()
    {
        var report = new CycleReport(1, "abc123", 3, 2, 1, 0, ["web1", "web2"], ["mail1"], 0, ExitCodes.Error);
        var (_, cycle, service, log, _) = Build(behaviour: (_, _) => Task.FromResult(report));
        await service.StartAsync(CancellationToken.None);
        await cycle.WaitForStartAsync(1);
        await service.StopAsync(CancellationToken.None);

        var finished = Assert.Single(log.Entries, e => e.Message.StartsWith("Cycle 1 finished", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Error, finished.Level);
        Assert.Equal(1, finished.Properties["Cycle"]);
        Assert.Equal(3, finished.Properties["Hosts"]);
        Assert.Equal(2, finished.Properties["Creates"]);
        Assert.Equal(1, finished.Properties["Updates"]);
        Assert.Equal(0, finished.Properties["Deletes"]);
        Assert.Equal(["web1", "web2"], (IEnumerable<string>)finished.Properties["DriftedHosts"]!);
        Assert.Equal(["mail1"], (IEnumerable<string>)finished.Properties["FailedHosts"]!);
        Assert.Equal(ExitCodes.Error, finished.Properties["ExitStatus"]);
        Assert.Equal("abc123", finished.Properties["Revision"]);
    }

    [Fact]
    public async Task Stopping_between_cycles_ends_the_loop_cleanly()
    {
        var (clock, cycle, service, log, _) = Build();
        await service.StartAsync(CancellationToken.None);
        await cycle.WaitForStartAsync(1);

        await service.StopAsync(CancellationToken.None);
        clock.Advance(10 * Hour);

        Assert.False(await cycle.AnyStartsWithinAsync(NoCycle), "a cycle started after the service stopped");
        Assert.Single(cycle.StartTimes);
        Assert.True(service.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Contains(log.Entries, e => e.Message == "Watch stopped after 1 cycle(s)");
    }

    [Fact]
    public async Task Stopping_during_a_cycle_cancels_it_and_ends_the_loop_cleanly()
    {
        var (clock, cycle, service, log, session) = Build(behaviour: async (n, ct) =>
        {
            if (n == 2) await Task.Delay(Timeout.InfiniteTimeSpan, ct); // a host that never answers
            return ScriptedCycle.InSync(n);
        });
        await service.StartAsync(CancellationToken.None);
        await cycle.WaitForStartAsync(1);
        await clock.WaitForTimersAsync(1);
        clock.Advance(Hour);
        await cycle.WaitForStartAsync(2);

        var stop = service.StopAsync(CancellationToken.None);
        Assert.Same(stop, await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(10))));
        await stop;

        Assert.Equal([2], cycle.Cancelled);
        Assert.True(service.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Contains(log.Entries, e => e.Message == "Cycle 2 cancelled: the service is stopping");
        Assert.Equal(ExitCodes.Ok, session.ExitCode);
    }

    [Fact]
    public async Task A_cycle_longer_than_the_interval_skips_the_missed_slots()
    {
        SchedulingClock? fake = null;
        var (clock, cycle, service, log, _) = Build(behaviour: (n, _) =>
        {
            if (n == 1) fake!.Advance(TimeSpan.FromMinutes(150)); // cycle 1 takes 2.5 intervals
            return Task.FromResult(ScriptedCycle.InSync(n));
        });
        fake = clock;
        await service.StartAsync(CancellationToken.None);
        await cycle.WaitForStartAsync(1);
        Assert.False(await cycle.AnyStartsWithinAsync(NoCycle), "cycles ran back to back after an overrun");
        await clock.WaitForTimersAsync(1);
        clock.Advance(TimeSpan.FromMinutes(30));
        await cycle.WaitForStartAsync(2);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal([Start, Start + 3 * Hour], cycle.StartTimes);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Properties.TryGetValue("Skipped", out var s) && (long)s! == 2);
    }

    [Theory]
    [InlineData(ExitCodes.Ok)]
    [InlineData(ExitCodes.Changes)]
    [InlineData(ExitCodes.Error)]
    public async Task Once_runs_one_cycle_stops_the_host_and_keeps_its_status(int status)
    {
        var lifetime = new FakeLifetime();
        var (clock, cycle, service, _, session) = Build(once: true, lifetime: lifetime,
            behaviour: (n, _) => Task.FromResult(ScriptedCycle.InSync(n) with { ExitCode = status }));
        await service.StartAsync(CancellationToken.None);
        await cycle.WaitForStartAsync(1);
        await service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));

        clock.Advance(10 * Hour);
        Assert.False(await cycle.AnyStartsWithinAsync(NoCycle));
        Assert.Single(cycle.StartTimes);
        Assert.True(lifetime.StopRequested);
        Assert.Equal(status, session.ExitCode);
        await service.StopAsync(CancellationToken.None);
    }

    private static (SchedulingClock Clock, ScriptedCycle Cycle, WatchService Service, ListLogger<WatchService> Log, WatchSession Session) Build(
        Func<int, CancellationToken, Task<CycleReport>>? behaviour = null, bool once = false, FakeLifetime? lifetime = null)
    {
        var clock = new SchedulingClock(Start);
        var cycle = new ScriptedCycle(clock, behaviour);
        var session = new WatchSession();
        session.Arm(new WatchRequest("/specs", null, Hour, AutoApply: false, Once: once, Repo: null));
        var log = new ListLogger<WatchService>();
        return (clock, cycle, new WatchService(session, cycle, clock, lifetime ?? new FakeLifetime(), log), log, session);
    }
}
