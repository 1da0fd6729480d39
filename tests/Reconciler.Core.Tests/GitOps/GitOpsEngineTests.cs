using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.ConfigLines;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.Sysctl;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.GitOps;

/// <summary>
/// Fingerprints, saved plans, the host's state file and the apply lock through the engine, with <see cref="FakeTransport"/>
/// running the real batched scripts locally.
/// </summary>
public sealed class GitOpsEngineTests : IDisposable
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private readonly TempDir _dir = new();
    private static readonly ProviderRegistry Providers = new([new SysctlProvider(), new FileProvider(), new ConfigLineProvider()]);

    public void Dispose() => _dir.Dispose();

    private DesiredState State()
    {
        var root = Directory.CreateDirectory(_dir["h"]).FullName;
        File.WriteAllText(Path.Combine(root, "in-sync"), "same\n");
        var host = new HostSpec("h", "10.0.0.1", 22, "root", "~/.ssh/id", "SHA256:x", [], new Dictionary<string, object?>());
        return new DesiredState([new HostDesiredState(host, [Res.File(Path.Combine(root, "motd"), "welcome\n"), Res.File(Path.Combine(root, "in-sync"), "same\n")])])
        {
            Commit = Commit,
        };
    }

    private static readonly PlanKey Key = PlanKey.From("gitops-engine-tests-plan-key-0123456789").Key!;

    private static Reconciliation Engine(FakeTransport transport) =>
        new(transport, Providers, new ReconcileOptions(Controller: "test-ctl", PlanKey: Key));

    [Fact]
    public async Task A_plan_carries_commit_digests_and_a_fingerprint_per_resource_that_follows_the_live_state()
    {
        var transport = new FakeTransport();
        var state = State();

        var first = await Engine(transport).PlanAsync(state, null, CancellationToken.None);
        var again = await Engine(transport).PlanAsync(state, null, CancellationToken.None);
        File.WriteAllText(Path.Combine(_dir["h"], "in-sync"), "changed by hand\n");
        var after = await Engine(transport).PlanAsync(state, null, CancellationToken.None);

        Assert.Equal(Commit, first.Commit);
        Assert.Equal(DesiredStateDigest.Of(state, Key), first.Digest);
        Assert.Equal(DesiredStateDigest.Of(state.Hosts[0], Key), first.Hosts[0].Digest);
        Assert.All(first.Hosts[0].Changes, c => Assert.Matches("^hmac-sha256:[0-9a-f]{64}$", c.Fingerprint));
        Assert.Equal(first.Hosts[0].Changes.Select(c => c.Fingerprint), again.Hosts[0].Changes.Select(c => c.Fingerprint));
        Assert.Equal(first.Hosts[0].Changes[0].Fingerprint, after.Hosts[0].Changes[0].Fingerprint);
        Assert.NotEqual(first.Hosts[0].Changes[1].Fingerprint, after.Hosts[0].Changes[1].Fingerprint);
    }

    [Fact]
    public async Task Apply_records_the_commit_on_the_host_and_the_next_plan_reads_it_back()
    {
        var transport = new FakeTransport();
        var state = State();

        var result = await Engine(transport).ApplyAsync(state, new ApplySettings(), null, CancellationToken.None);
        var plan = await Engine(transport).PlanAsync(state, null, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(3, transport.ScriptCount("h") - 1); // lock+read, apply+record, verify+release; then the plan's read
        Assert.Equal(Commit, plan.Hosts[0].Applied?.Commit);
        Assert.Equal("test-ctl", plan.Hosts[0].Applied?.Controller);
        Assert.False(Directory.Exists(Path.Combine(transport.StateRootOf("h"), "lock")));
        Assert.Equal("h is at commit 0123456", (plan.Hosts[0].Applied! with { At = null }).Describe("h"));
        Assert.Equal("h is at commit 0123456, 3 commits behind", (plan.Hosts[0].Applied! with { At = null, CommitsBehind = 3 }).Describe("h"));
        Assert.Equal("h is at commit 0123456, unknown commit", (plan.Hosts[0].Applied! with { At = null, CommitKnown = false }).Describe("h"));
    }

    [Fact]
    public async Task Apply_of_a_saved_plan_whose_live_state_changed_refuses_the_host_naming_the_resource_and_changes_nothing()
    {
        var transport = new FakeTransport();
        var state = State();
        var saved = await Engine(transport).PlanAsync(state, null, CancellationToken.None);
        File.WriteAllText(Path.Combine(_dir["h"], "in-sync"), "changed by hand\n");

        var result = await Engine(transport).ApplyAsync(state, new ApplySettings(Approved: saved), null, CancellationToken.None);

        var host = Assert.Single(result.Hosts);
        Assert.False(host.Succeeded);
        Assert.Equal($"re-plan: file[{Path.Combine(_dir["h"], "in-sync")}] changed on h since the plan", host.Error);
        Assert.Empty(host.Outcomes);
        Assert.False(File.Exists(Path.Combine(_dir["h"], "motd")));
        Assert.False(Directory.Exists(Path.Combine(transport.StateRootOf("h"), "lock")));
    }

    [Fact]
    public async Task Apply_of_a_fresh_saved_plan_applies_it_and_leaves_hosts_outside_the_plan_alone()
    {
        var transport = new FakeTransport();
        var state = State();
        var saved = await Engine(transport).PlanAsync(state, null, CancellationToken.None);
        var other = new HostDesiredState(state.Hosts[0].Host with { Name = "other" }, [Res.File(Path.Combine(_dir["h"], "other"), "x\n")]);

        var result = await Engine(transport).ApplyAsync(state with { Hosts = [.. state.Hosts, other] }, new ApplySettings(Approved: saved), null, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(["h"], result.Hosts.Select(h => h.Host));
        Assert.Equal("welcome\n", File.ReadAllText(Path.Combine(_dir["h"], "motd")));
        Assert.False(File.Exists(Path.Combine(_dir["h"], "other")));
        Assert.Equal(0, transport.ScriptCount("other"));
    }

    [Fact]
    public void A_saved_plan_for_other_specs_is_refused_before_any_host_is_contacted()
    {
        var state = State();
        var digest = DesiredStateDigest.Of(state.Hosts[0], Key);
        var saved = new Plan([new HostPlan("h", []) { Digest = digest }]) { Commit = "feedface" + Commit[8..], Digest = DesiredStateDigest.Of([("h", digest)], Key), KeyId = Key.Id };
        var changed = state with { Hosts = [state.Hosts[0] with { Resources = [Res.Sysctl("net.ipv4.tcp_syncookies", "1")] }] };

        Assert.Null(SavedPlan.Mismatch(saved, ["h"], state, Key)); // same specs at another commit (a merge commit): accepted
        Assert.Equal("the desired state is not the one planned (planned at commit feedfac, the specs are at 0123456): h changed since the plan; re-plan",
            SavedPlan.Mismatch(saved, ["h"], changed, Key));
        Assert.Contains("inconsistent", SavedPlan.Mismatch(saved with { Digest = DesiredStateDigest.Of([("x", digest)], Key) }, ["h"], state, Key));
    }

    [Fact]
    public async Task A_saved_plan_is_refused_plainly_when_apply_lacks_the_plan_key_or_holds_another()
    {
        var state = State();
        var saved = await Engine(new FakeTransport()).PlanAsync(state, null, CancellationToken.None);
        var unkeyed = await new Reconciliation(new FakeTransport(), Providers, new ReconcileOptions()).PlanAsync(state, null, CancellationToken.None);
        var other = PlanKey.From("some-other-plan-key-0123456789abcdef").Key!;

        Assert.Equal(Key.Id, saved.KeyId);
        Assert.Null(SavedPlan.Mismatch(saved, ["h"], state, Key));
        Assert.Contains("RECONCILER_PLAN_KEY is not set", SavedPlan.Mismatch(saved, ["h"], state, PlanKey.Ephemeral));
        Assert.Contains("made with a different RECONCILER_PLAN_KEY", SavedPlan.Mismatch(saved, ["h"], state, other));
        Assert.Contains("made without RECONCILER_PLAN_KEY", SavedPlan.Mismatch(unkeyed, ["h"], state, Key));
    }

    [Fact]
    public async Task An_apply_finding_the_host_locked_fails_naming_the_holder_and_changes_nothing()
    {
        var transport = new FakeTransport();
        var state = State();
        var lockDir = Directory.CreateDirectory(Path.Combine(transport.StateRootOf("h"), "lock")).FullName;
        File.WriteAllText(Path.Combine(lockDir, "owner"), $"holder=laptop pid 7 run x\nsince=2030-01-01T10:00:00Z\nepoch={DateTimeOffset.UtcNow.ToUnixTimeSeconds()}\n");

        var result = await Engine(transport).ApplyAsync(state, new ApplySettings(LockTimeout: TimeSpan.FromSeconds(1)), null, CancellationToken.None);

        var host = Assert.Single(result.Hosts);
        Assert.Equal("locked by another apply: laptop pid 7 run x since 2030-01-01T10:00:00Z (still held after waiting 1s)", host.Error);
        Assert.False(File.Exists(Path.Combine(_dir["h"], "motd")));
        Assert.True(Directory.Exists(lockDir));
        Assert.True(transport.ScriptCount("h") >= 1);
    }

    [Fact]
    public async Task An_apply_waiting_for_a_lock_goes_ahead_once_it_is_released()
    {
        var transport = new FakeTransport();
        var lockDir = Directory.CreateDirectory(Path.Combine(transport.StateRootOf("h"), "lock")).FullName;
        File.WriteAllText(Path.Combine(lockDir, "owner"), $"holder=other\nsince=now\nepoch={DateTimeOffset.UtcNow.ToUnixTimeSeconds()}\n");
        _ = Task.Delay(1500).ContinueWith(_ => Directory.Delete(lockDir, recursive: true), TaskScheduler.Default);

        var result = await Engine(transport).ApplyAsync(State(), new ApplySettings(LockTimeout: TimeSpan.FromSeconds(20)), null, CancellationToken.None);

        Assert.True(result.Succeeded, result.Hosts[0].Error);
        Assert.Equal("welcome\n", File.ReadAllText(Path.Combine(_dir["h"], "motd")));
    }

    [Fact]
    public async Task A_stale_lock_is_taken_over_and_the_takeover_reported()
    {
        var transport = new FakeTransport();
        var lockDir = Directory.CreateDirectory(Path.Combine(transport.StateRootOf("h"), "lock")).FullName;
        File.WriteAllText(Path.Combine(lockDir, "owner"), "holder=crashed pid 1\nsince=2020-01-01T00:00:00Z\n");

        var result = await Engine(transport).ApplyAsync(State(), new ApplySettings(), null, CancellationToken.None);

        var host = Assert.Single(result.Hosts);
        Assert.True(host.Succeeded, host.Error);
        Assert.Equal("took over a stale lock held by crashed pid 1 since 2020-01-01T00:00:00Z", host.LockTakeover);
        Assert.False(Directory.Exists(lockDir));
    }
}
