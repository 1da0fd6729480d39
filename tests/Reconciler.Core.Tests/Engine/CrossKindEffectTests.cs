using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Engine;

/// <summary>
/// Issue 17: a group's effect may follow changes of other kinds (a service restarted because files change). It runs
/// once, after them wherever they are declared, only if they succeeded; its failure fails only its own members; and a
/// member with nothing else to change is planned as an update because of it.
/// </summary>
public sealed class CrossKindEffectTests : IDisposable
{
    private static readonly SourceLocation At = new("specs/x.yaml", 1, 1);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private sealed record Conf(string Path, string Content) : Resource(At)
    {
        public override ResourceAddress Address => new("conf", Path);
    }

    private sealed record Daemon(string Name, IReadOnlyList<string> Watches, bool Fails = false) : Resource(At)
    {
        public override ResourceAddress Address => new("daemon", Name);
    }

    /// <summary>Writes each file on its own (no group) and logs it.</summary>
    private sealed class ConfProvider(string log) : ResourceProvider<Conf, string>
    {
        public override string Kind => "conf";

        protected override string ReadScript(IReadOnlyList<Conf> resources) =>
            string.Concat(resources.Select((r, i) => $"printf 'C\\t{i}\\t%s\\n' \"$(cat {Sh.Quote(r.Path)} 2>/dev/null)\"\n"));

        protected override IReadOnlyList<string> ParseFacts(IReadOnlyList<Conf> resources, FactAnswers answers)
        {
            var byIndex = ByIndex(answers[Kind], resources.Count);
            return resources.Select((_, i) => byIndex[i].Single().FirstField() ?? "").ToList();
        }

        protected override ResourceChange Diff(Conf desired, string observed) => observed == desired.Content
            ? ResourceChange.NoOp(desired)
            : new ResourceChange(desired.Address, ChangeAction.Update, [AttributeChange.Of(new AttributeName("content"), observed, desired.Content)], At);

        protected override string ApplyScript(Conf desired, string observed, ResourceChange change) =>
            $"printf '%s\\n' {Sh.Quote(desired.Content)} > {Sh.Quote(desired.Path)}\necho {Sh.Quote("write " + System.IO.Path.GetFileName(desired.Path))} >> {Sh.Quote(log)}";
    }

    /// <summary>Nothing of its own to change; restarted once after the files it watches that change.</summary>
    private sealed class DaemonProvider(string log) : ResourceProvider<Daemon, string>
    {
        public static readonly AttributeName Restart = new("restart");

        public override string Kind => "daemon";

        protected override string ReadScript(IReadOnlyList<Daemon> resources) => "";

        protected override IReadOnlyList<string> ParseFacts(IReadOnlyList<Daemon> resources, FactAnswers answers) => resources.Select(_ => "").ToList();

        protected override ResourceChange Diff(Daemon desired, string observed) => ResourceChange.NoOp(desired);

        protected override string ApplyScript(Daemon desired, string observed, ResourceChange change) => ":";

        protected override ChangeGroup? Group(IReadOnlyList<PlannedChange> planned, IReadOnlyList<PlannedChange> host)
        {
            var daemons = planned.Select(p => (Daemon)p.Resource).ToList();
            var effects = new List<GroupEffect>();
            foreach (var d in daemons)
            {
                var by = host.Where(p => p.Change.Action.ChangesHost() && d.Watches.Contains(p.Resource.Address.ToString())).Select(p => p.Resource).ToList();
                if (by.Count > 0)
                {
                    effects.Add(new GroupEffect(Restart, d.Name, ChangeEffects.RestartsService,
                        d.Fails ? "echo cannot restart; exit 1" : $"echo {Sh.Quote("restart " + d.Name)} >> {Sh.Quote(log)}",
                        [d, .. by], "because files change"));
                }
            }

            var restarted = effects.Select(e => e.Follows![0]).ToHashSet();
            return effects.Count == 0 ? null : new ChangeGroup(daemons.Where(restarted.Contains).Select(d => new GroupStep(d, ":")).ToList(), effects);
        }
    }

    private Reconciliation Engine() =>
        new(new FakeTransport(), new ProviderRegistry([new ConfProvider(Log), new DaemonProvider(Log)]), new ReconcileOptions());

    private static DesiredState State(params Resource[] resources) =>
        new([new HostDesiredState(new HostSpec("h", "10.0.0.1", 22, "root", "~/.ssh/id", "SHA256:x", [], new Dictionary<string, object?>()), resources)]);

    private string Log => Path.Combine(_dir.Path, "log");

    private Conf File(string name, string content = "on") => new(Path.Combine(_dir.Path, name), content);

    [Fact]
    public async Task A_member_restarted_only_because_other_kinds_change_is_planned_as_an_update_with_the_reason()
    {
        var a = File("a");
        var plan = await Engine().PlanAsync(State(new Daemon("d", [a.Address.ToString()]), a), null, CancellationToken.None);

        var daemon = Assert.Single(plan.Hosts).Changes[0];
        Assert.Equal(ChangeAction.Update, daemon.Action);
        Assert.Equal([AttributeChange.Of(DaemonProvider.Restart, null, "d: because files change")], daemon.Attributes);
        Assert.Equal(ChangeEffects.RestartsService, daemon.Effects);
    }

    [Fact]
    public async Task The_effect_runs_once_after_every_change_it_follows_even_when_declared_before_them()
    {
        var (a, b) = (File("a"), File("b"));

        var result = await Engine().ApplyAsync(State(new Daemon("d", [a.Address.ToString(), b.Address.ToString()]), a, b), null, CancellationToken.None);

        Assert.True(result.Succeeded, string.Join("; ", result.Hosts.SelectMany(h => h.Outcomes).Select(o => $"{o.Address}: {o.Error}")));
        Assert.Equal(["write a", "write b", "restart d"], System.IO.File.ReadAllLines(Log));
    }

    [Fact]
    public async Task A_failed_change_it_follows_keeps_the_effect_from_running_and_fails_only_the_member()
    {
        var a = File("a");
        var broken = new Conf(Path.Combine(_dir.Path, "no-such-dir", "b"), "on");

        var result = await Engine().ApplyAsync(State(new Daemon("d", [a.Address.ToString(), broken.Address.ToString()]), a, broken), null, CancellationToken.None);

        var outcomes = Assert.Single(result.Hosts).Outcomes.ToDictionary(o => o.Address.ToString());
        Assert.True(outcomes[a.Address.ToString()].Succeeded);
        Assert.False(outcomes[broken.Address.ToString()].Succeeded);
        Assert.Equal($"applied, but the restart of d did not run: {broken.Address} failed", outcomes["daemon[d]"].Error);
        Assert.Equal(["write a"], System.IO.File.ReadAllLines(Log));
    }

    [Fact]
    public async Task A_failed_effect_fails_its_member_and_leaves_the_other_kinds_changes_applied()
    {
        var a = File("a");

        var result = await Engine().ApplyAsync(State(a, new Daemon("d", [a.Address.ToString()], Fails: true)), null, CancellationToken.None);

        var outcomes = Assert.Single(result.Hosts).Outcomes.ToDictionary(o => o.Address.ToString());
        Assert.True(outcomes[a.Address.ToString()].Succeeded);
        Assert.Equal("applied, but the restart of d failed: cannot restart", outcomes["daemon[d]"].Error);
    }
}
