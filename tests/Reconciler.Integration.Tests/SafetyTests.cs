using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>Bad input and untrusted hosts: refused, with nothing on the host changed.</summary>
public sealed class SafetyTests
{
    [Fact]
    public async Task An_invalid_spec_contacts_no_host_and_changes_nothing()
    {
        await using var host = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        HardeningSpec.WriteTo(specs);
        specs.Write("broken.yaml", "kind: resources\ntarget: { group: hardened }\nfiles:\n  - path: /etc/passwd\n    mode: \"0999\"\n");
        var before = (await host.ExecAsync("stat -c %a /etc/shadow; cat /proc/sys/net/ipv4/tcp_syncookies")).Stdout;

        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);

        Assert.Equal(1, apply.ExitCode);
        Assert.Matches(@"broken\.yaml:5:11: error RC3003: ", apply.Stderr);
        Assert.Equal(0, apply.Traffic.Connections);
        Assert.Equal(before, (await host.ExecAsync("stat -c %a /etc/shadow; cat /proc/sys/net/ipv4/tcp_syncookies")).Stdout);
    }

    [Fact]
    public async Task A_connection_cut_during_apply_neither_stops_the_transaction_nor_leaves_the_lock()
    {
        await using var mail = await PostfixChangeUnderCut.StartAsync();
        var (host, specs) = (mail.Host, mail.Specs);

        // Cut the SSH session as soon as the postfix transaction has staged its copy (it then still checks, swaps,
        // reloads, waits and probes: seconds of work the connection no longer sees).
        var (apply, cut) = await mail.ApplyAndCutWhenStagedAsync(PostfixChangeUnderCut.KillSession, tries: 200);
        Assert.Equal("cut", cut);
        var result = await apply;
        Assert.NotEqual(0, result.ExitCode);

        // The transaction ran to its end on the host, and the script released the lock when it found nobody listening.
        Assert.Equal("20480000 unlocked", await mail.WaitUntilSettledAsync(tries: 100, TimeSpan.FromMilliseconds(100)));
        Assert.Equal("", (await host.ExecAsync("ls -d /etc/.reconciler-postfix.* 2>/dev/null")).Stdout);
        // The next apply is not kept waiting for a lock, and finds nothing left to do.
        var again = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("mail1:\n  nothing to do", again.Stdout);
    }

    [Fact]
    public async Task A_host_whose_key_does_not_match_the_pin_is_refused()
    {
        // Given two hosts, and an inventory pinning the second one's key for the first
        await using var host = await DebianHost.StartAsync();
        await using var other = await DebianHost.StartAsync();
        var otherKey = await other.HostKeyAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")], _ => otherKey);
        HardeningSpec.WriteTo(specs);

        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);

        Assert.Equal(1, apply.ExitCode);
        // Its own outcome, not "unreachable", and still one host counted once.
        Assert.Contains("web1: host key mismatch: web1 (127.0.0.1:", apply.Stdout);
        Assert.Contains("Apply: 1 host(s): 0 succeeded, 1 host key mismatch;", apply.Stdout);
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.Equal(1, plan.ExitCode);
        Assert.Contains("1 host(s), 1 host key mismatch.", plan.Stdout);
        // Both keys by fingerprint, as ssh-keygen -lf prints them: the pinned one is not cut to the prefix all ed25519 keys share.
        var fingerprint = async (DebianHost h) => (await h.ExecAsync("ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub | cut -d' ' -f2")).Stdout.Trim();
        Assert.Contains($"offered ssh-ed25519 {await fingerprint(host)}, but the inventory pins ssh-ed25519 {await fingerprint(other)};", apply.Stdout + apply.Stderr);
        Assert.DoesNotContain("   at ", apply.Stdout + apply.Stderr); // a reason, not a stack trace
        Assert.Equal("640", (await host.ExecAsync("stat -c %a /etc/shadow")).Stdout.Trim());
    }

    [Fact]
    public async Task An_unreachable_host_fails_alone_and_the_others_are_applied()
    {
        await using var host = await DebianHost.StartAsync();
        await using var gone = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened"), ("web2", gone, DebianHost.RootUser, "hardened")]);
        HardeningSpec.WriteTo(specs);
        await gone.DisposeAsync();

        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);

        Assert.Equal(1, apply.ExitCode);
        Assert.Matches(@"web2: unreachable: web2 \(127\.0\.0\.1:\d+\): cannot connect", apply.Stdout);
        Assert.Equal("400", (await host.ExecAsync("stat -c %a /etc/shadow")).Stdout.Trim());
    }
}
