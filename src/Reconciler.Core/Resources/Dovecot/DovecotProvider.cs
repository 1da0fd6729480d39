using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Dovecot;

/// <summary>
/// Files under /etc/dovecot (dovecot_file) and IMAP login probes (dovecot_probe). All of a host's file changes apply as
/// one group (<see cref="Group"/>): the first changed file's step is the whole transaction (see <see cref="DovecotTransaction"/>)
/// and the others' steps only confirm that it left them in place. A file's own facts and diff are the file kind's.
/// </summary>
public sealed class DovecotProvider : ResourceProvider<DovecotResource, DovecotObserved>
{
    public override string Kind => "dovecot";

    // doveconf is in /usr/bin, dovecot itself in /usr/sbin, which a non-login PATH may lack.
    internal const string PathSetup = "PATH=/usr/sbin:/sbin:$PATH; export PATH";

    internal const string NotInstalled = "dovecot is not installed (no doveconf, or no " + DovecotFileResource.ConfigDirectory + "/dovecot.conf)";

    /// <summary>Nothing is read when dovecot is not installed.</summary>
    private static readonly string Installed = $"""
        {PathSetup}
        command -v doveconf >/dev/null 2>&1 || exit 0
        [ -f {Sh.Quote(DovecotFileResource.ConfigDirectory + "/dovecot.conf")} ] || exit 0
        """;

    protected override string ReadScript(IReadOnlyList<DovecotResource> resources)
    {
        var script = new StringBuilder(Installed).AppendLine().AppendLine(HostText.Library);
        script.AppendLine("printf 'I\\n'");
        script.AppendLine($"rc_dc_keys={Sh.Quote(DovecotRestartKeys.AwkProgram)}");
        for (var i = 0; i < resources.Count; i++)
        {
            if (resources[i] is not DovecotFileResource file)
            {
                continue;
            }

            // $p is empty when the file facts refuse the path (PathSafety): nothing more is read through it.
            script.Append(PathSafety.Resolved(Sh.Quote(file.Path), follow: false));
            script.AppendLine("if [ -z \"$p\" ] || [ -L \"$p\" ]; then :");
            script.AppendLine("elif [ -f \"$p\" ]; then");
            script.AppendLine($"  printf 'R\\t{i}\\t%s\\n' \"$(timeout {HostText.ReadSeconds} head -c {HostText.MaxReadBytes} -- \"$p\" | awk \"$rc_dc_keys\" | sha256sum | cut -d' ' -f1)\"");
            script.AppendLine($"elif [ ! -e \"$p\" ] && [ ! -d \"$(dirname -- \"$p\")\" ]; then printf 'D\\t{i}\\n'; fi");
        }

        return script.ToString();
    }

    /// <summary>
    /// Each file's facts as the file kind reads them, except that links are reported, never followed (a staged write must
    /// not go through a link into a live file), and the text comes back only for files that hold no secret.
    /// </summary>
    protected override IReadOnlyList<FactQuery> SharedQueries(IReadOnlyList<DovecotResource> resources)
    {
        var files = resources.OfType<DovecotFileResource>().ToList();
        return files.Count == 0
            ? []
            : [FileFacts.Query(files.Select(f => new FileFactsPath(Sh.Quote(f.Path), new FileFactsRead(FollowLinks: false, Content: f.Sensitive ? FileContentRead.Digest : FileContentRead.Text))).ToList(), Installed)];
    }

    protected override IReadOnlyList<DovecotObserved> ParseFacts(IReadOnlyList<DovecotResource> resources, FactAnswers answers)
    {
        var lines = answers[Kind];
        var installed = lines.Contains("I");
        var byIndex = ByIndex(lines, resources.Count, "I");
        var files = resources.OfType<DovecotFileResource>().ToList();
        var facts = files.Count == 0 ? [] : FileFacts.Parse(answers, files.Count);
        return resources.Select<DovecotResource, DovecotObserved>((r, i) => r is DovecotFileResource file
            ? ParseFile(installed, facts[files.IndexOf(file)], ByTag(byIndex[i], i))
            : new DovecotProbeObserved(installed)).ToList();
    }

    protected override ResourceChange Diff(DovecotResource desired, DovecotObserved observed)
    {
        if (!observed.Installed)
        {
            return ResourceChange.Blocked(desired, NotInstalled);
        }

        if (desired is not DovecotFileResource file)
        {
            return ResourceChange.NoOp(desired); // a probe changes nothing; it runs inside the host's transaction
        }

        var o = (DovecotFileObserved)observed;
        if (o.File.Refused is { } refused)
        {
            return ResourceChange.Blocked(desired, refused);
        }

        if (o.OtherType is { } type)
        {
            return ResourceChange.Blocked(desired, $"is a {type} on this host; dovecot_file manages regular files only and does not replace it");
        }

        if (o.ParentMissing)
        {
            return ResourceChange.Blocked(desired, $"directory {file.Path[..file.Path.LastIndexOf('/')]} does not exist on this host");
        }

        if (!NeedsChange(file, o))
        {
            return ResourceChange.NoOp(desired);
        }

        var content = file.Content ?? "";
        List<AttributeChange> attributes = o.File.Exists
            ? FileAttributeChanges(file, o)
            :
            [
                AttributeChange.Of(FileAttributeNames.Content, null, content).SecretIf(file.Sensitive),
                AttributeChange.Of(FileAttributeNames.Owner, null, file.Owner),
                AttributeChange.Of(FileAttributeNames.Group, null, file.Group),
                AttributeChange.Of(FileAttributeNames.Mode, null, file.NormalizedMode),
            ];

        return new ResourceChange(desired.Address, o.File.Exists ? ChangeAction.Update : ChangeAction.Create, attributes, desired.Source);
    }

    /// <summary>One file alone is a transaction of one (no probe); on a host the engine applies them as <see cref="Group"/>.</summary>
    protected override string ApplyScript(DovecotResource desired, DovecotObserved observed, ResourceChange change) =>
        desired is DovecotFileResource file
            ? DovecotTransaction.Script([file], [], RestartKeysChange(file, (DovecotFileObserved)observed))
            : throw new InvalidOperationException("a login probe changes nothing; it runs inside the host's transaction");

    /// <summary>
    /// Every file change on the host is one transaction with every probe of the host, carried by the first changed file's
    /// step: one reload (or restart) per host, however many files change, and only the carrier shows it. The others confirm.
    /// </summary>
    protected override ChangeGroup? Group(IReadOnlyList<PlannedChange> planned)
    {
        var changing = planned.Where(p => p.Change.Action.ChangesHost() && p.Resource is DovecotFileResource).ToList();
        if (changing.Count == 0)
        {
            return null;
        }

        var files = changing.Select(p => (DovecotFileResource)p.Resource).ToList();
        var probes = planned.Select(p => p.Resource).OfType<DovecotProbeResource>().ToList();
        var restart = changing.Any(p => RestartKeysChange((DovecotFileResource)p.Resource, (DovecotFileObserved)p.Observed));
        var action = restart ? "restart" : "reload";
        var probed = probes.Count == 0 ? "IMAP probed" : $"IMAP probed with a login as {string.Join(", ", probes.Select(p => p.User))}";
        var carrier = new GroupStep(
            files[0],
            DovecotTransaction.Script(files, probes, restart),
            $"one transaction for {files.Count} dovecot change(s): staged copy checked with doveconf, swapped in, dovecot {action}ed, {probed}; rolled back on failure");
        var note = ChangeGroup.CarriedNote(carrier);
        return new ChangeGroup(
            [carrier, .. files.Skip(1).Select(f => new GroupStep(f, DovecotTransaction.Confirm(f, carrier.Member.Address.ToString()), note))],
            // The reload is the transaction's own step: a failed one puts every file back.
            [new GroupEffect(restart ? DovecotAttributeNames.Restart : DovecotAttributeNames.Reload, "dovecot", restart ? ChangeEffects.RestartsService : ChangeEffects.ReloadsService)]);
    }

    private static DovecotFileObserved ParseFile(bool installed, FileFacts file, IReadOnlyDictionary<string, string[]> facts) =>
        installed
            ? new DovecotFileObserved(true, file, ParentMissing: !file.Exists && facts.ContainsKey("D"), RestartKeys: facts.GetValueOrDefault("R")?.FirstField())
            : new DovecotFileObserved(false, FileFacts.Missing);

    private static List<AttributeChange> FileAttributeChanges(DovecotFileResource desired, DovecotFileObserved o) =>
        FileDiff.Changes(o.File, desired.Content ?? "", desired.Sensitive, desired.Owner, desired.Group, desired.Mode);

    private static bool NeedsChange(DovecotFileResource desired, DovecotFileObserved observed) =>
        observed is { Installed: true, OtherType: null, ParentMissing: false, File.Refused: null }
        && (!observed.File.Exists || FileAttributeChanges(desired, observed).Count > 0);

    /// <summary>Whether this file's listener-related lines differ from the host's: a reload cannot take that.</summary>
    private static bool RestartKeysChange(DovecotFileResource desired, DovecotFileObserved observed) =>
        DovecotRestartKeys.Digest(desired.Content ?? "") != (observed.File.Exists ? observed.RestartKeys : DovecotRestartKeys.Digest(""));
}
