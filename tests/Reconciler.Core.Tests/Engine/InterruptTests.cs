using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Engine;

/// <summary>
/// Issue 21: an interrupt (the first Ctrl-C) at each stage of apply. Before a host is contacted: it is left alone. After
/// its read took the lock: it applies nothing and the lock is released. While its apply runs: it finishes, is verified,
/// and releases the lock as usual. Each ends with the host's own state and lock as the test reads them from disk.
/// </summary>
public sealed class InterruptTests : IDisposable
{
    private readonly TempDir _dir = new();
    private static readonly ProviderRegistry Providers = new([new FileProvider()]);

    public void Dispose() => _dir.Dispose();

    private (DesiredState State, string Motd) State()
    {
        var motd = Path.Combine(Directory.CreateDirectory(_dir["h"]).FullName, "motd");
        return (new DesiredState([new HostDesiredState(
            new HostSpec("h", "10.0.0.1", 22, "root", "~/.ssh/id", "SHA256:x", [], new Dictionary<string, object?>()),
            [Res.File(motd, "welcome\n")])]), motd);
    }

    /// <summary>A transport that cancels <paramref name="interrupt"/> when the host is sent a script matching <paramref name="when"/>.</summary>
    private static FakeTransport InterruptingWhen(CancellationTokenSource interrupt, Func<string, bool> when) => new()
    {
        OnScript = (_, script, _) =>
        {
            if (when(script)) interrupt.Cancel();
            return Task.FromResult<ScriptResult?>(null);
        },
    };

    private static bool IsLockedRead(string script) => script.Contains("rc_take()", StringComparison.Ordinal);

    private static bool IsApply(string script) => script.Contains("RC_RUN_", StringComparison.Ordinal);

    [Fact]
    public async Task Interrupted_before_a_host_is_contacted_it_is_left_alone()
    {
        var (state, motd) = State();
        using var interrupt = new CancellationTokenSource();
        await interrupt.CancelAsync();
        var transport = new FakeTransport();

        var result = await new Reconciliation(transport, Providers, new ReconcileOptions()).ApplyAsync(
            state, new ApplySettings { Interrupt = interrupt.Token }, null, CancellationToken.None);

        var host = Assert.Single(result.Hosts);
        Assert.Equal(HostOutcome.Interrupted, host.Outcome);
        Assert.Contains("before this host was contacted", host.Interrupted);
        Assert.False(transport.Connects.ContainsKey("h"));
        Assert.False(File.Exists(motd));
    }

    [Fact]
    public async Task Interrupted_after_the_read_took_the_lock_nothing_is_applied_and_the_lock_is_released()
    {
        var (state, motd) = State();
        using var interrupt = new CancellationTokenSource();
        var transport = InterruptingWhen(interrupt, IsLockedRead);

        var result = await new Reconciliation(transport, Providers, new ReconcileOptions()).ApplyAsync(
            state, new ApplySettings { Interrupt = interrupt.Token }, null, CancellationToken.None);

        var host = Assert.Single(result.Hosts);
        Assert.Equal(HostOutcome.Interrupted, host.Outcome);
        Assert.Equal("interrupted before its apply started: nothing was applied and its lock was released", host.Interrupted);
        Assert.False(File.Exists(motd));
        Assert.False(Directory.Exists(Path.Combine(transport.StateRootOf("h"), "lock")));
        Assert.DoesNotContain(transport.Scripts["h"], IsApply);
    }

    [Fact]
    public async Task Interrupted_while_its_apply_runs_the_host_finishes_is_verified_and_releases_the_lock()
    {
        var (state, motd) = State();
        using var interrupt = new CancellationTokenSource();
        var transport = InterruptingWhen(interrupt, IsApply);

        var result = await new Reconciliation(transport, Providers, new ReconcileOptions()).ApplyAsync(
            state, new ApplySettings { Interrupt = interrupt.Token }, null, CancellationToken.None);

        var host = Assert.Single(result.Hosts);
        Assert.Equal(HostOutcome.Succeeded, host.Outcome);
        Assert.Equal("welcome\n", File.ReadAllText(motd));
        Assert.NotNull(host.Verification);
        Assert.False(Directory.Exists(Path.Combine(transport.StateRootOf("h"), "lock")));
    }
}
