using System.Diagnostics;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests.Attacker;

/// <summary>
/// The connection to a host dies in the middle of an apply. The host must finish the apply on its own, record how it
/// ended and release its lock; the controller must say it does not know the outcome (never "0 changes applied"), and
/// the next read must show what the host recorded.
/// </summary>
public sealed class ConnectionLossTests
{
    /// <summary>SSH traffic to and from the container vanishes: no reset, no answer — a pulled cable or a dead NAT entry.</summary>
    private const string DropSsh = "iptables -I INPUT -p tcp --dport 22 -j DROP && iptables -I OUTPUT -p tcp --sport 22 -j DROP";

    private const string RestoreSsh = "iptables -D INPUT -p tcp --dport 22 -j DROP; iptables -D OUTPUT -p tcp --sport 22 -j DROP";

    [Fact]
    public async Task A_silently_dropped_connection_mid_apply_is_reported_unknown_and_the_host_finishes_records_and_unlocks_by_itself()
    {
        // Given a mail host and a postfix change, whose transaction takes seconds (stage, check, swap, reload, probe)
        await using var mail = await PostfixChangeUnderCut.StartAsync();
        var (host, specs) = (mail.Host, mail.Specs);

        // When the connection goes silent as soon as the transaction has staged its copy
        var (apply, cut) = await mail.ApplyAndCutWhenStagedAsync(DropSsh, tries: 400);
        Assert.Equal("cut", cut);
        var clock = Stopwatch.StartNew();
        var result = await apply;

        // Then the controller notices within seconds and reports the outcome as unknown, not as nothing applied
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(45), $"the dead connection took {clock.Elapsed.TotalSeconds:0}s to notice");
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("mail1: UNKNOWN: connection lost during apply", result.Stdout);
        Assert.Contains("1 UNKNOWN; the UNKNOWN host(s) lost their connection during apply", result.Stdout);
        Assert.DoesNotContain("0 change(s) applied", result.Stdout);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr);

        // And the host finished the change, recorded it as unattended, and released its lock by itself
        Assert.Equal(PostfixChangeUnderCut.Settled, await mail.WaitUntilSettledAsync(tries: 120, TimeSpan.FromSeconds(1)));
        var state = (await host.ExecAsync("cat /var/lib/reconciler/state")).Stdout;
        Assert.Contains("last_apply=1 0 1\n", state);
        Assert.Contains("last_apply_unattended=yes\n", state);
        Assert.Equal("", (await host.ExecAsync("ls -d /etc/.reconciler-postfix.* /var/lib/reconciler/run.* 2>/dev/null")).Stdout);

        // And once the network is back, the next plan shows what the host recorded, and there is nothing left to do
        await host.ExecAsync(RestoreSsh);
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Matches(@"note: the last apply \(.+\) lost its controller's connection; the host finished it on its own at \S+Z: 1 of 1 change\(s\) applied", plan.Stdout);
        var again = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("mail1:\n  nothing to do", again.Stdout);
        Assert.Contains("before this apply: the last apply", again.Stdout);
        // Reported once by an apply, the record no longer needs a note.
        var later = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.DoesNotContain("lost its controller's connection", later.Stdout);
    }

    [Fact]
    public async Task A_session_killed_mid_apply_is_reported_unknown_and_the_lock_is_released_at_once()
    {
        // Given a mail host and a postfix change
        await using var mail = await PostfixChangeUnderCut.StartAsync();
        var (host, specs) = (mail.Host, mail.Specs);

        // When the controller's sshd session process is killed mid-transaction (the connection closes loudly)
        var (apply, cut) = await mail.ApplyAndCutWhenStagedAsync(PostfixChangeUnderCut.KillSession, tries: 400);
        Assert.Equal("cut", cut);
        var result = await apply;

        // Then the outcome is unknown, and the host, finding nobody to hand its output to, unlocks without waiting
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("mail1: UNKNOWN: connection lost during apply", result.Stdout);
        Assert.Equal(PostfixChangeUnderCut.Settled, await mail.WaitUntilSettledAsync(tries: 100, TimeSpan.FromMilliseconds(100)));
        Assert.Contains("last_apply=1 0 1\n", (await host.ExecAsync("cat /var/lib/reconciler/state")).Stdout);
    }
}
