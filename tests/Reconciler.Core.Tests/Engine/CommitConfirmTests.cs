using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Engine;

/// <summary>
/// Commit-confirm end to end on the engine side: the guard script arms a real detached timer with /bin/sh on this
/// machine (in a temp directory), and the fake transport plays a host that refuses new connections after a change
/// that "locks the controller out" — standing in for a firewall, which the container tests exercise for real.
/// </summary>
public sealed class CommitConfirmTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static HostSpec Host => new("fw1", "10.0.0.1", 22, "root", "~/.ssh/id", "SHA256:x", [], new Dictionary<string, object?>());

    [Fact]
    public async Task A_change_confirmed_over_a_new_connection_stays_and_the_timer_does_nothing()
    {
        var (state, token) = Given("open");
        var transport = new FakeTransport();
        var engine = Engine(transport);

        var result = await engine.ApplyAsync(state, null, CancellationToken.None, TimeSpan.FromSeconds(3));

        var host = Assert.Single(result.Hosts);
        Assert.True(host.Succeeded, host.Guard?.Report ?? host.Error);
        Assert.Equal(new GuardOutcome(true, false, "confirmed over a new SSH connection"), host.Guard);
        Assert.Equal(2, transport.Connects["fw1"]); // the apply session, then the confirming one
        await Task.Delay(TimeSpan.FromSeconds(4)); // past the deadline: the cancelled timer must not restore
        Assert.Equal("closed", File.ReadAllText(token));
    }

    [Fact]
    public async Task A_change_that_locks_the_controller_out_is_rolled_back_by_the_host_and_reported()
    {
        var (state, token) = Given("open");
        // The "host" refuses every new connection while the change is in place, as a firewall rule
        // blocking the controller would; once its own timer has restored the old state it answers again.
        var connects = 0;
        var transport = new FakeTransport
        {
            OnConnect = (_, _) => Interlocked.Increment(ref connects) > 1 && File.ReadAllText(token) == "closed"
                ? throw new TransportException("fw1 (10.0.0.1:22): cannot connect: TimedOut")
                : Task.CompletedTask,
        };
        var engine = Engine(transport);

        var result = await engine.ApplyAsync(state, null, CancellationToken.None, TimeSpan.FromSeconds(3));

        var host = Assert.Single(result.Hosts);
        Assert.False(host.Succeeded);
        Assert.NotNull(host.Guard);
        Assert.False(host.Guard.Confirmed);
        Assert.True(host.Guard.RolledBack, host.Guard.Report);
        Assert.Contains("no new SSH connection could confirm the change before the 3s deadline (fw1 (10.0.0.1:22): cannot connect: TimedOut)", host.Guard.Report);
        Assert.Contains("restored its previous state by itself", host.Guard.Report);
        Assert.All(host.Outcomes, o => Assert.Equal("rolled back by commit-confirm", o.Error));
        Assert.Equal("open", File.ReadAllText(token));
    }

    [Fact]
    public async Task When_state_cannot_be_saved_nothing_is_changed()
    {
        var (state, token) = Given("open", snapshot: "exit 3");
        var engine = Engine(new FakeTransport());

        var result = await engine.ApplyAsync(state, null, CancellationToken.None, TimeSpan.FromSeconds(3));

        var outcome = Assert.Single(Assert.Single(result.Hosts).Outcomes);
        Assert.False(outcome.Succeeded);
        Assert.StartsWith("not applied: commit-confirm could not be armed", outcome.Error);
        Assert.True(outcome.GuardNotArmed);
        Assert.Null(Assert.Single(result.Hosts).Guard);
        Assert.Equal("open", File.ReadAllText(token));
    }

    private Reconciliation Engine(FakeTransport transport) =>
        new(transport, new ProviderRegistry([(_provider!, ChangeEffects.None, _provider!.Guard)]), new ReconcileOptions(GuardRoot: _dir["guard"]));

    private TokenProvider? _provider;

    private (DesiredState State, string Token) Given(string initial, string? snapshot = null)
    {
        var token = _dir["token"];
        File.WriteAllText(token, initial);
        _provider = new TokenProvider(token, snapshot);
        return (new DesiredState([new HostDesiredState(Host, [new TokenResource(token, "closed", Res.At)])]), token);
    }

    private sealed record TokenResource(string Path, string Value, Reconciler.Core.Diagnostics.SourceLocation Source) : Resource(Source)
    {
        public override ResourceAddress Address => new("token", Path);
    }

    private sealed record TokenObserved(string? Value);

    /// <summary>A guarded kind in miniature: one value in a file, saved and restored by the guard its kind declares.</summary>
    private sealed class TokenProvider(string path, string? snapshot) : ResourceProvider<TokenResource, TokenObserved>
    {
        public override string Kind => "token";

        public GuardedState Guard => new(snapshot ?? $"cp {Sh.Quote(path)} \"$RC_SNAPSHOT/token\"", $"cp \"$RC_SNAPSHOT/token\" {Sh.Quote(path)}");

        protected override string ReadScript(IReadOnlyList<TokenResource> resources) =>
            $"printf 'T\\t0\\t%s\\n' \"$(cat {Sh.Quote(resources[0].Path)})\"";

        protected override IReadOnlyList<TokenObserved> ParseFacts(IReadOnlyList<TokenResource> resources, FactAnswers answers) =>
            [new TokenObserved(answers[Kind].Select(l => l.Split('\t')).FirstOrDefault(f => f[0] == "T")?[2])];

        protected override ResourceChange Diff(TokenResource desired, TokenObserved observed) =>
            observed.Value == desired.Value
                ? ResourceChange.NoOp(desired)
                : new ResourceChange(desired.Address, ChangeAction.Update, [AttributeChange.Of(new("value"), observed.Value, desired.Value)], desired.Source);

        protected override string ApplyScript(TokenResource desired, TokenObserved observed, ResourceChange change) =>
            $"printf '%s' {Sh.Quote(desired.Value)} > {Sh.Quote(desired.Path)}";
    }
}
