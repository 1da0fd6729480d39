using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Engine;

/// <summary>
/// Issue 16: a kind may apply its changes on one host as one group — steps in order, "after these, once" effects
/// declared as data — while every member still gets its own outcome, as it did one change at a time.
/// </summary>
public sealed class GroupApplyTests : IDisposable
{
    private static readonly SourceLocation At = new("specs/conf.yaml", 1, 1);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private sealed record ConfFile(string Path, string Content, SourceLocation Source) : Resource(Source)
    {
        public override ResourceAddress Address => new("conf", Path);
    }

    private sealed record ConfObserved(string? Content);

    /// <summary>
    /// Config files of a daemon reloaded once after them. Each step writes its file and logs it; the reload logs itself.
    /// <paramref name="transaction"/>: instead, the first step writes every file and the others confirm it did (postfix's way).
    /// </summary>
    private sealed class ConfProvider(string log, bool transaction = false) : ResourceProvider<ConfFile, ConfObserved>
    {
        public override string Kind => "conf";

        protected override string ReadScript(IReadOnlyList<ConfFile> resources) =>
            string.Concat(resources.Select((r, i) => $"if [ -f {Sh.Quote(r.Path)} ]; then printf 'C\\t{i}\\t%s\\n' \"$(cat {Sh.Quote(r.Path)})\"; fi\n"));

        protected override IReadOnlyList<ConfObserved> ParseFacts(IReadOnlyList<ConfFile> resources, FactAnswers answers)
        {
            var byIndex = ByIndex(answers[Kind], resources.Count);
            return resources.Select((_, i) => new ConfObserved(byIndex[i].FirstOrDefault()?.FirstField())).ToList();
        }

        protected override ResourceChange Diff(ConfFile desired, ConfObserved observed) =>
            observed.Content == desired.Content
                ? ResourceChange.NoOp(desired)
                : new ResourceChange(desired.Address, observed.Content is null ? ChangeAction.Create : ChangeAction.Update,
                    [AttributeChange.Of(new AttributeName("content"), observed.Content, desired.Content)], desired.Source);

        protected override string ApplyScript(ConfFile desired, ConfObserved observed, ResourceChange change) => Write(desired);

        protected override ChangeGroup? Group(IReadOnlyList<PlannedChange> planned)
        {
            var changing = planned.Where(p => p.Change.Action.ChangesHost()).Select(p => (ConfFile)p.Resource).ToList();
            if (changing.Count == 0)
            {
                return null;
            }

            if (!transaction)
            {
                return new ChangeGroup(
                    changing.Select(f => new GroupStep(f, Write(f))).ToList(),
                    [new GroupEffect(new AttributeName("reload"), "confd", ChangeEffects.ReloadsService, $"echo reload >> {Sh.Quote(log)}")]);
            }

            var carrier = new GroupStep(changing[0], string.Join("\n", changing.Select(Write)), $"one transaction for {changing.Count} conf change(s)");
            return new ChangeGroup(
                [carrier, .. changing.Skip(1).Select(f => new GroupStep(
                    f,
                    $"[ \"$(cat {Sh.Quote(f.Path)} 2>/dev/null)\" = {Sh.Quote(f.Content)} ] || {{ echo {Sh.Quote($"not applied: the transaction in {carrier.Member.Address} did not complete")}; exit 1; }}",
                    ChangeGroup.CarriedNote(carrier)))],
                [new GroupEffect(new AttributeName("reload"), "confd", ChangeEffects.ReloadsService)]);
        }

        private string Write(ConfFile f) =>
            $"printf '%s\\n' {Sh.Quote(f.Content)} > {Sh.Quote(f.Path)} || {{ echo {Sh.Quote($"cannot write {f.Path}")}; exit 1; }}\necho {Sh.Quote($"write {System.IO.Path.GetFileName(f.Path)}")} >> {Sh.Quote(log)}";
    }

    private static DesiredState State(params Resource[] resources) =>
        new([new HostDesiredState(new HostSpec("h", "10.0.0.1", 22, "root", "~/.ssh/id", "SHA256:x", [], new Dictionary<string, object?>()), resources)]);

    private string Log => Path.Combine(_dir.Path, "log");

    private ConfFile Conf(string name, string content = "on") => new(Path.Combine(_dir.Path, name), content, At);

    [Fact]
    public async Task The_plan_shows_the_reload_once_on_the_first_member_with_its_effect()
    {
        var engine = new Reconciliation(new FakeTransport(), new ProviderRegistry([new ConfProvider(Log)]), new ReconcileOptions());

        var plan = await engine.PlanAsync(State(Conf("a"), Conf("b")), null, CancellationToken.None);

        var changes = Assert.Single(plan.Hosts).Changes;
        Assert.Equal([AttributeChange.Of(new AttributeName("content"), null, "on"), AttributeChange.Of(new AttributeName("reload"), null, "confd")], changes[0].Attributes);
        Assert.Equal(ChangeEffects.ReloadsService, changes[0].Effects);
        Assert.Equal([AttributeChange.Of(new AttributeName("content"), null, "on")], changes[1].Attributes);
        Assert.Equal(ChangeEffects.None, changes[1].Effects);
    }

    [Fact]
    public async Task A_group_applies_its_files_in_order_then_its_reload_once()
    {
        var engine = new Reconciliation(new FakeTransport(), new ProviderRegistry([new ConfProvider(Log)]), new ReconcileOptions());

        var result = await engine.ApplyAsync(State(Conf("a"), Conf("b"), Conf("c")), null, CancellationToken.None);

        Assert.True(result.Succeeded, string.Join("; ", result.Hosts.SelectMany(h => h.Outcomes).Select(o => $"{o.Address}: {o.Error}")));
        Assert.Equal(["write a", "write b", "write c", "reload"], File.ReadAllLines(Log));
        Assert.Equal(3, Assert.Single(result.Hosts).Outcomes.Count(o => o.Succeeded));
    }

    [Fact]
    public async Task A_failing_member_reports_its_own_error_and_the_reload_that_follows_it_does_not_run()
    {
        var engine = new Reconciliation(new FakeTransport(), new ProviderRegistry([new ConfProvider(Log)]), new ReconcileOptions());
        var broken = new ConfFile(Path.Combine(_dir.Path, "no-such-dir", "b"), "on", At);

        var result = await engine.ApplyAsync(State(Conf("a"), broken), null, CancellationToken.None);

        var outcomes = Assert.Single(result.Hosts).Outcomes;
        Assert.False(outcomes[1].Succeeded);
        Assert.Contains($"cannot write {broken.Path}", outcomes[1].Error);
        Assert.False(outcomes[0].Succeeded);
        Assert.Equal($"applied, but the reload of confd did not run: {broken.Address} failed", outcomes[0].Error);
        Assert.Equal(["write a"], File.ReadAllLines(Log));
    }

    [Fact]
    public async Task In_a_transaction_the_carrier_reports_the_failure_and_each_other_member_reports_its_own_confirmation()
    {
        var engine = new Reconciliation(new FakeTransport(), new ProviderRegistry([new ConfProvider(Log, transaction: true)]), new ReconcileOptions());
        var broken = new ConfFile(Path.Combine(_dir.Path, "no-such-dir", "a"), "on", At);

        var plan = await engine.PlanAsync(State(broken, Conf("b")), null, CancellationToken.None);
        var result = await engine.ApplyAsync(State(broken, Conf("b")), null, CancellationToken.None);

        Assert.Equal("one transaction for 2 conf change(s)", plan.Hosts[0].Changes[0].Note);
        Assert.Equal($"applied in {broken.Address}'s transaction", plan.Hosts[0].Changes[1].Note);
        var outcomes = Assert.Single(result.Hosts).Outcomes;
        Assert.False(outcomes[0].Succeeded);
        Assert.EndsWith($"cannot write {broken.Path}", outcomes[0].Error);
        Assert.Equal((false, $"not applied: the transaction in {broken.Address} did not complete"), (outcomes[1].Succeeded, outcomes[1].Error));
    }
}
