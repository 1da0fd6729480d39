using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>
/// Issue 21: a lock left by a dead run is shown by plan as stale with the command that clears it, and
/// <c>reconciler unlock</c> clears it; a lock whose holder may be alive is refused unless --force.
/// </summary>
public sealed class UnlockCommandTests
{
    private static Task Plant(DebianHost host, string holder) => host.ExecAsync(
        $"mkdir -p /var/lib/reconciler/lock && printf 'holder=%s\\nsince=2026-12-07T10:00:00Z\\nepoch=%s\\n' '{holder}' \"$(date -u +%s)\" > /var/lib/reconciler/lock/owner");

    private static async Task<bool> LockedAsync(DebianHost host) => (await host.ExecAsync("test -d /var/lib/reconciler/lock")).ExitCode == 0;

    [Fact]
    public async Task A_dead_runs_lock_is_shown_stale_by_plan_and_cleared_by_unlock_and_a_live_ones_only_with_force()
    {
        await using var host = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("h1", host, DebianHost.RootUser, "web")]);
        HardeningSpec.WriteTo(specs);

        // A run of this machine whose process is gone (a pid that exited just now).
        using (var gone = System.Diagnostics.Process.Start("true")!) { await gone.WaitForExitAsync(); await Plant(host, $"{Environment.MachineName} pid {gone.Id} run 0123456789ab"); }
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.Contains($"lock: locked by {Environment.MachineName} pid", plan.Stdout);
        Assert.Contains("is gone; an apply takes it over once it is 15 min old, or clear it now with `reconciler unlock h1`", plan.Stdout);

        var unlock = await CliRun.ExecAsync("unlock", "h1", "--specs", specs.Directory);
        Assert.True(unlock.ExitCode == 0, unlock.ToString());
        Assert.Contains("h1: removed the apply lock held by", unlock.Stdout);
        Assert.False(await LockedAsync(host));

        // A holder that may be alive: this very test process.
        await Plant(host, $"{Environment.MachineName} pid {Environment.ProcessId} run 0123456789ab");
        var refused = await CliRun.ExecAsync("unlock", "h1", "--specs", specs.Directory);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("h1: refused: locked by", refused.Stderr);
        Assert.True(await LockedAsync(host));
        Assert.Contains("an apply may be running", (await CliRun.ExecAsync("plan", "--specs", specs.Directory)).Stdout);

        var forced = await CliRun.ExecAsync("unlock", "h1", "--force", "--specs", specs.Directory);
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.False(await LockedAsync(host));
        Assert.Contains("h1: no apply lock is held.", (await CliRun.ExecAsync("unlock", "h1", "--specs", specs.Directory)).Stdout);
        Assert.Contains("'h9' selects no host or group", (await CliRun.ExecAsync("unlock", "h9", "--specs", specs.Directory)).Stderr);
    }

    [Fact]
    public async Task A_lock_whose_owner_file_may_not_be_read_is_said_so_and_left_in_place()
    {
        await using var host = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("h1", host, DebianHost.RootUser, "web")]);
        HardeningSpec.WriteTo(specs);
        await Plant(host, "someone pid 1 run 0123456789ab");
        Assert.Equal(0, (await host.ExecAsync("chmod 600 /var/lib/reconciler/lock/owner")).ExitCode);

        var unlock = await CliRun.ExecAsync("unlock", "h1", "--force", "--specs", specs.Directory);

        Assert.Equal(1, unlock.ExitCode);
        Assert.Contains("h1: the lock's owner file cannot be read", unlock.Stderr);
        Assert.DoesNotContain("another run took the lock", unlock.Stderr);
        Assert.Contains("holder=someone pid 1", (await host.ExecAsync("cat /var/lib/reconciler/lock/owner")).Stdout);
        Assert.Equal("", (await host.ExecAsync("ls -d /var/lib/reconciler/lock.* 2>/dev/null")).Stdout);
    }
}
