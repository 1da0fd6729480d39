using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Monitoring;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Engine;

/// <summary>
/// Issue 20: monitored kinds (health rules, mail graphs) ride in the host's one fact round trip of a drift run only; a
/// pull request's plan never asks them; their resources are never planned; a kind that cannot be read is its own error
/// line, and the host is planned all the same.
/// </summary>
public sealed class MonitoringReadTests : IDisposable
{
    private static readonly SourceLocation At = new("specs/health.yaml", 3, 5);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private sealed record Watch(string Name, string Script, SourceLocation Source) : Resource(Source)
    {
        public override ResourceAddress Address => new("watch", Name);
    }

    private sealed record Seen(IReadOnlyList<string> Lines);

    /// <summary>A monitored kind whose fact script is the resource's own; every line it answers becomes one finding.</summary>
    private sealed class WatchProvider : ResourceProvider<Watch, Seen>, IMonitorProvider
    {
        public override string Kind => "watch";

        protected override string ReadScript(IReadOnlyList<Watch> resources) => string.Join("\n", resources.Select(r => r.Script));

        protected override IReadOnlyList<Seen> ParseFacts(IReadOnlyList<Watch> resources, FactAnswers answers) =>
            answers[Kind].Any(l => l.StartsWith("garbage", StringComparison.Ordinal))
                ? throw new MalformedFactsException("watch: a line is not a figure")
                : resources.Select(_ => new Seen(answers[Kind])).ToList();

        protected override ResourceChange Diff(Watch desired, Seen observed) => ResourceChange.NoOp(desired);

        protected override string ApplyScript(Watch desired, Seen observed, ResourceChange change) =>
            throw new InvalidOperationException("a monitored kind is never applied");

        public HostMonitoring Judge(IReadOnlyList<Resource> resources, IReadOnlyList<object> observed) =>
            observed.Cast<Seen>().SelectMany(s => s.Lines).Any(l => l.StartsWith("overflow", StringComparison.Ordinal))
                ? throw new OverflowException("a figure no conversion holds")
                : new()
        {
            Findings = observed.Cast<Seen>().SelectMany(s => s.Lines)
                .Select(l => new HealthFinding("lines", "probe", l, "none", Breached: true, At.ToString())).ToList(),
        };
    }

    private static readonly ProviderRegistry Providers = new([new FileProvider(), new WatchProvider()]);

    private HostDesiredState Host(string name, string watchScript)
    {
        var root = Directory.CreateDirectory(_dir[name]).FullName;
        return new HostDesiredState(
            new HostSpec(name, "10.0.0.1", 22, "root", "~/.ssh/id", "SHA256:x", [], new Dictionary<string, object?>()),
            [Res.File(Path.Combine(root, "motd"), "welcome\n")])
        {
            Monitors = [new Watch("w", watchScript, At)],
        };
    }

    [Fact]
    public async Task A_plan_never_asks_a_monitored_kind_and_a_drift_read_asks_it_in_the_same_single_script()
    {
        var host = Host("a", "printf 'inodes 93\\n'");
        var transport = new FakeTransport();
        var engine = new Reconciliation(transport, Providers, new ReconcileOptions());

        var plan = await engine.PlanAsync(new DesiredState([host]), null, CancellationToken.None);
        Assert.DoesNotContain("inodes 93", Assert.Single(transport.Scripts["a"]));
        Assert.Null(plan.Hosts[0].Monitoring);

        var drift = await engine.PlanAsync(new DesiredState([host]), null, CancellationToken.None, monitor: true);
        Assert.Equal(2, transport.ScriptCount("a"));
        Assert.Equal(2, transport.Connects["a"]);
        var finding = Assert.Single(drift.Hosts[0].Monitoring!.Findings);
        Assert.Equal("inodes 93", finding.Value);
        // The monitored resource is not part of what is planned or digested: the two runs plan the same host.
        Assert.Equal(["file"], drift.Hosts[0].Changes.Select(c => c.Address.Kind));
        Assert.Equal(plan.Hosts[0].Digest, drift.Hosts[0].Digest);
        Assert.Equal(plan.Digest, drift.Digest);
    }

    [Theory]
    [InlineData("exit 3", "reading watch failed")]
    [InlineData("printf 'garbage\\n'", "a line is not a figure")]
    [InlineData("printf 'overflow\\n'", "its answer could not be judged (OverflowException)")]
    public async Task A_monitored_kind_that_cannot_be_read_is_its_own_error_line_and_the_host_is_still_planned(string script, string reason)
    {
        var engine = new Reconciliation(new FakeTransport(), Providers, new ReconcileOptions());

        var drift = await engine.PlanAsync(new DesiredState([Host("b", script)]), null, CancellationToken.None, monitor: true);

        var host = drift.Hosts[0];
        Assert.Null(host.Error);
        Assert.Equal([ChangeAction.Create], host.Changes.Select(c => c.Action));
        var error = Assert.Single(host.Monitoring!.Errors);
        Assert.StartsWith("watch: ", error);
        Assert.Contains(reason, error);
        Assert.True(host.Monitoring.NeedsAttention);
    }
}
