using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Integration.Tests.ThrowAwayKind;

/// <summary>
/// Reads notes through the shared file facts (no read of its own), plans their text, writes each with rc_write, and
/// as a group appends one line to the reload log once after every note it writes.
/// </summary>
public sealed class NoteProvider : ResourceProvider<NoteResource, FileFacts>
{
    public const string ReloadLog = "/var/lib/reconciler-notes.reloads";

    public static readonly AttributeName Text = new("text");

    public static readonly AttributeName Reload = new("reload");

    public override string Kind => NoteResource.KindName;

    protected override string ReadScript(IReadOnlyList<NoteResource> resources) => "";

    protected override IReadOnlyList<FactQuery> SharedQueries(IReadOnlyList<NoteResource> resources) =>
        [FileFacts.Query(resources.Select(r => new FileFactsPath(Sh.Quote(r.Path), new FileFactsRead(FollowLinks: false, Content: FileContentRead.Text))).ToList())];

    protected override IReadOnlyList<FileFacts> ParseFacts(IReadOnlyList<NoteResource> resources, FactAnswers answers) =>
        FileFacts.Parse(answers, resources.Count);

    protected override ResourceChange Diff(NoteResource desired, FileFacts observed)
    {
        if (observed.Refused is { } refused) return ResourceChange.Blocked(desired, refused);
        if (observed.Exists && observed.Sha256 == Core.Model.Sha256Text.Hex(desired.Content)) return ResourceChange.NoOp(desired);
        var before = observed.Exists ? observed.Live?.Shown ?? new PlanValue.Absent() : new PlanValue.Absent();
        return new ResourceChange(desired.Address, observed.Exists ? ChangeAction.Update : ChangeAction.Create,
            [new AttributeChange(Text, before, PlanValue.Of(desired.Content))], desired.Source);
    }

    protected override string ApplyScript(NoteResource desired, FileFacts observed, ResourceChange change) =>
        $"mkdir -p -- {Sh.Quote(NoteKind.Directory)}\nrc_write {Sh.Quote(desired.Path)} {Sh.Quote(Sh.Base64(desired.Content))}";

    /// <summary>Each changed note is its own step; the reload follows them all, once.</summary>
    protected override ChangeGroup? Group(IReadOnlyList<PlannedChange> planned)
    {
        var changing = planned.Where(p => p.Change.Action.ChangesHost()).ToList();
        return changing.Count == 0
            ? null
            : new ChangeGroup(
                changing.Select(p => new GroupStep(p.Resource, ApplyScript((NoteResource)p.Resource, (FileFacts)p.Observed, p.Change))).ToList(),
                [new GroupEffect(Reload, "notes", ChangeEffects.ReloadsService, $"echo reloaded >> {Sh.Quote(ReloadLog)}")]);
    }
}
