using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.ConfigLines;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.Sysctl;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Engine;

/// <summary>The engine with <see cref="FakeTransport"/>: scripts run locally with /bin/sh against per-host temp directories.</summary>
public sealed class ReconciliationTests : IDisposable
{
    private readonly TempDir _dir = new();
    private static readonly ProviderRegistry Providers = new([new SysctlProvider(), new FileProvider(), new ConfigLineProvider()]);

    public void Dispose() => _dir.Dispose();

    private static HostSpec Host(string name) =>
        new(name, "10.0.0.1", 22, "root", "~/.ssh/id", "SHA256:x", [], new Dictionary<string, object?>());

    /// <summary>Per host: a file to create, a file already in sync and a config line to update — two providers.</summary>
    private HostDesiredState HostState(string name)
    {
        var root = Directory.CreateDirectory(_dir[name]).FullName;
        File.WriteAllText(Path.Combine(root, "in-sync"), "same\n");
        File.WriteAllText(Path.Combine(root, "login.defs"), "UMASK 022\n");
        return new HostDesiredState(Host(name),
        [
            Res.File(Path.Combine(root, "motd"), "welcome\n"),
            Res.File(Path.Combine(root, "in-sync"), "same\n"),
            Res.Line(Path.Combine(root, "login.defs"), "UMASK", "027"),
        ]);
    }

    private DesiredState State(params string[] hosts) => new(hosts.Select(HostState).ToList());

    [Fact]
    public async Task Plan_for_three_hosts_opens_three_sessions_and_runs_exactly_one_script_per_host()
    {
        var transport = new FakeTransport();
        var engine = new Reconciliation(transport, Providers, new ReconcileOptions());

        var plan = await engine.PlanAsync(State("a", "b", "c"), null, CancellationToken.None);

        Assert.Equal(["a", "b", "c"], plan.Hosts.Select(h => h.Host));
        Assert.All(["a", "b", "c"], h =>
        {
            Assert.Equal(1, transport.Connects[h]);
            Assert.Equal(1, transport.ScriptCount(h));
        });
        Assert.All(plan.Hosts, h =>
        {
            Assert.Null(h.Error);
            Assert.Equal([ChangeAction.Create, ChangeAction.NoOp, ChangeAction.Update], h.Changes.Select(c => c.Action));
        });
        Assert.Equal(0, transport.OpenSessions);
    }

    [Fact]
    public async Task Plan_host_whose_transport_throws_gets_an_error_and_the_other_hosts_still_plan()
    {
        var transport = new FakeTransport
        {
            OnConnect = (h, _) => h.Name == "b" ? throw new TransportException("b: connection refused") : Task.CompletedTask,
        };
        var engine = new Reconciliation(transport, Providers, new ReconcileOptions());

        var plan = await engine.PlanAsync(State("a", "b", "c"), null, CancellationToken.None);

        var b = plan.Hosts.Single(h => h.Host == "b");
        Assert.Equal("b: connection refused", b.Error);
        Assert.Empty(b.Changes);
        Assert.True(plan.HasErrors);
        Assert.All(plan.Hosts.Where(h => h.Host != "b"), h => Assert.Equal(3, h.Changes.Count));
    }

    [Fact]
    public async Task A_host_key_mismatch_is_its_own_outcome_in_plan_and_apply_and_a_refused_connection_stays_unreachable()
    {
        var transport = new FakeTransport
        {
            OnConnect = (h, _) => h.Name switch
            {
                "b" => throw new TransportException("b: host key mismatch: b offered SHA256:x, but the inventory pins SHA256:y") { HostKeyMismatch = true },
                "c" => throw new TransportException("c: connection refused"),
                _ => Task.CompletedTask,
            },
        };
        var engine = new Reconciliation(transport, Providers, new ReconcileOptions());

        var plan = await engine.PlanAsync(State("a", "b", "c"), null, CancellationToken.None);
        Assert.Equal([false, true, false], plan.Hosts.Select(h => h.HostKeyMismatch));
        Assert.StartsWith("b: host key mismatch: ", plan.Hosts[1].Error);

        var apply = await engine.ApplyAsync(State("a", "b", "c"), null, CancellationToken.None);
        Assert.Equal([HostOutcome.Succeeded, HostOutcome.HostKeyMismatch, HostOutcome.Unreachable], apply.Hosts.Select(h => h.Outcome));
    }

    [Fact]
    public async Task Plan_host_whose_fact_script_fails_gets_the_first_stderr_line_as_its_error()
    {
        var transport = new FakeTransport
        {
            OnScript = (h, _, _) => Task.FromResult<ScriptResult?>(h.Name == "b" ? new ScriptResult(1, "", "sudo: a password is required\nmore") : null),
        };
        var engine = new Reconciliation(transport, Providers, new ReconcileOptions());

        var plan = await engine.PlanAsync(State("a", "b"), null, CancellationToken.None);

        Assert.Equal("reading file facts failed: sudo: a password is required", plan.Hosts.Single(h => h.Host == "b").Error);
        Assert.Null(plan.Hosts.Single(h => h.Host == "a").Error);
    }

    [Fact]
    public async Task Plan_host_that_hangs_while_connecting_times_out_and_the_others_still_plan()
    {
        var transport = new FakeTransport
        {
            OnConnect = (h, ct) => h.Name == "slow" ? Task.Delay(Timeout.Infinite, ct) : Task.CompletedTask,
        };
        var engine = new Reconciliation(transport, Providers, new ReconcileOptions(HostTimeout: TimeSpan.FromSeconds(1)));

        var plan = await engine.PlanAsync(State("fast", "slow"), null, CancellationToken.None);

        Assert.Equal("timed out after 1s", plan.Hosts.Single(h => h.Host == "slow").Error);
        Assert.Null(plan.Hosts.Single(h => h.Host == "fast").Error);
    }

    [Fact]
    public async Task Plan_host_whose_script_hangs_times_out_and_its_session_is_closed()
    {
        var transport = new FakeTransport
        {
            OnScript = async (h, _, ct) =>
            {
                if (h.Name == "slow") await Task.Delay(Timeout.Infinite, ct);
                return null;
            },
        };
        var engine = new Reconciliation(transport, Providers, new ReconcileOptions(HostTimeout: TimeSpan.FromSeconds(1)));

        var plan = await engine.PlanAsync(State("fast", "slow"), null, CancellationToken.None);

        Assert.StartsWith("timed out", plan.Hosts.Single(h => h.Host == "slow").Error);
        Assert.Equal(0, transport.OpenSessions);
    }

    [Fact]
    public async Task Plan_with_max_parallel_hosts_1_never_runs_two_hosts_at_once()
    {
        var transport = new FakeTransport { ScriptDelay = TimeSpan.FromMilliseconds(50) };
        var engine = new Reconciliation(transport, Providers, new ReconcileOptions(MaxParallelHosts: 1));

        var plan = await engine.PlanAsync(State("a", "b", "c", "d"), null, CancellationToken.None);

        Assert.Equal(1, transport.MaxConcurrentSessions);
        Assert.All(plan.Hosts, h => Assert.Null(h.Error));
    }

    [Fact]
    public async Task Plan_with_max_parallel_hosts_4_reads_hosts_concurrently()
    {
        // The counterpart of the test above: shows the concurrency measurement can see overlap at all.
        var transport = new FakeTransport { ScriptDelay = TimeSpan.FromMilliseconds(300) };
        var engine = new Reconciliation(transport, Providers, new ReconcileOptions(MaxParallelHosts: 4));

        await engine.PlanAsync(State("a", "b", "c", "d"), null, CancellationToken.None);

        Assert.True(transport.MaxConcurrentSessions > 1, $"max concurrent sessions {transport.MaxConcurrentSessions}");
    }

    [Fact]
    public async Task The_states_parallel_the_command_line_or_inventory_one_wins_over_the_options()
    {
        var transport = new FakeTransport { ScriptDelay = TimeSpan.FromMilliseconds(50) };
        var engine = new Reconciliation(transport, Providers, new ReconcileOptions(MaxParallelHosts: 4));

        await engine.PlanAsync(State("a", "b", "c", "d") with { Parallel = 1 }, null, CancellationToken.None);

        Assert.Equal(1, transport.MaxConcurrentSessions);
    }

    [Fact]
    public async Task Under_a_small_parallel_a_host_that_times_out_is_its_own_error_and_the_others_finish()
    {
        var transport = new FakeTransport
        {
            OnConnect = (h, ct) => h.Name == "b" ? Task.Delay(Timeout.Infinite, ct) : Task.CompletedTask,
        };
        var engine = new Reconciliation(transport, Providers, new ReconcileOptions(HostTimeout: TimeSpan.FromSeconds(1)));

        var plan = await engine.PlanAsync(State("a", "b", "c", "d", "e") with { Parallel = 2 }, null, CancellationToken.None);

        Assert.Equal("timed out after 1s", plan.Hosts.Single(h => h.Host == "b").Error);
        Assert.All(plan.Hosts.Where(h => h.Host != "b"), h => Assert.Null(h.Error));
        Assert.Equal(5, plan.Hosts.Count);
    }

    [Fact]
    public async Task Plan_reports_connecting_reading_and_done_progress_per_host()
    {
        var events = new List<HostProgress>();
        var progress = new SyncProgress(events);
        var engine = new Reconciliation(new FakeTransport(), Providers, new ReconcileOptions());

        await engine.PlanAsync(State("a"), progress, CancellationToken.None);

        Assert.Equal([HostStage.Connecting, HostStage.Reading, HostStage.Done], events.Select(e => e.Stage));
    }

    [Fact]
    public async Task Apply_uses_one_session_and_three_scripts_per_host_read_apply_verify_and_converges()
    {
        var transport = new FakeTransport();
        var engine = new Reconciliation(transport, Providers, new ReconcileOptions());
        var state = State("a", "b");

        var result = await engine.ApplyAsync(state, null, CancellationToken.None);

        Assert.True(result.Succeeded, string.Join("; ", result.Hosts.SelectMany(h => h.Outcomes).Select(o => $"{o.Address}: {o.Error}")));
        Assert.All(result.Hosts, h =>
        {
            Assert.Equal(1, transport.Connects[h.Host]);
            Assert.Equal(3, transport.ScriptCount(h.Host));
            Assert.Equal(2, h.Outcomes.Count);
            Assert.False(h.Verification!.HasChanges);
        });
        Assert.Equal("welcome\n", File.ReadAllText(Path.Combine(_dir["a"], "motd")));
        Assert.Equal("UMASK 027\n", File.ReadAllText(Path.Combine(_dir["b"], "login.defs")));
    }

    [Fact]
    public async Task Apply_failure_of_one_change_is_reported_with_its_message_and_the_other_changes_still_apply()
    {
        var root = Directory.CreateDirectory(_dir["h"]).FullName;
        File.WriteAllText(Path.Combine(root, "owned"), "x\n");
        var state = new DesiredState(
        [
            new HostDesiredState(Host("h"),
            [
                Res.File(Path.Combine(root, "owned"), owner: "no-such-user-reconciler"),
                Res.File(Path.Combine(root, "motd"), "hi\n"),
            ]),
        ]);
        var engine = new Reconciliation(new FakeTransport(), Providers, new ReconcileOptions());

        var result = await engine.ApplyAsync(state, null, CancellationToken.None);

        var host = Assert.Single(result.Hosts);
        Assert.False(host.Succeeded);
        var failed = host.Outcomes.Single(o => !o.Succeeded);
        Assert.Equal("file", failed.Address.Kind);
        Assert.Contains("no-such-user-reconciler", failed.Error);
        Assert.True(host.Outcomes.Single(o => o.Address.Name.EndsWith("motd", StringComparison.Ordinal)).Succeeded);
        Assert.Equal("hi\n", File.ReadAllText(Path.Combine(root, "motd")));
        Assert.True(host.Verification!.HasChanges); // the owner still differs, so the host did not converge
    }

    [Fact]
    public async Task Apply_of_a_host_in_sync_runs_the_read_and_one_script_releasing_the_lock()
    {
        // The read takes the host's apply lock, so even a host with nothing to change needs a second, tiny script:
        // it releases the lock (and records the commit, when there is one). Still never a script per resource.
        var root = Directory.CreateDirectory(_dir["h"]).FullName;
        File.WriteAllText(Path.Combine(root, "f"), "x\n");
        var state = new DesiredState([new HostDesiredState(Host("h"), [Res.File(Path.Combine(root, "f"), "x\n")])]);
        var transport = new FakeTransport();

        var result = await new Reconciliation(transport, Providers, new ReconcileOptions()).ApplyAsync(state, null, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(2, transport.ScriptCount("h"));
        Assert.False(Directory.Exists(Path.Combine(transport.StateRootOf("h"), "lock")));
    }

    /// <summary>IProgress that records synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(List<HostProgress> events) : IProgress<HostProgress>
    {
        public void Report(HostProgress value)
        {
            lock (events) events.Add(value);
        }
    }
}
