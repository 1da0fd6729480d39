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
/// one transaction (see <see cref="DovecotTransaction"/>): the engine runs each change in its own subshell, so the first
/// changed file carries the whole transaction and the others only confirm that it left them in place.
/// </summary>
public sealed class DovecotProvider : ResourceProvider<DovecotResource, DovecotObserved>
{
    public override string Kind => "dovecot";

    // doveconf is in /usr/bin, dovecot itself in /usr/sbin, which a non-login PATH may lack.
    internal const string PathSetup = "PATH=/usr/sbin:/sbin:$PATH; export PATH";

    internal const string NotInstalled = "dovecot is not installed (no doveconf, or no " + DovecotFileResource.ConfigDirectory + "/dovecot.conf)";

    protected override string ReadScript(IReadOnlyList<DovecotResource> resources)
    {
        var script = new StringBuilder(PathSetup).AppendLine().AppendLine(HostText.Library);
        script.AppendLine("command -v doveconf >/dev/null 2>&1 || exit 0");
        script.AppendLine($"[ -f {Sh.Quote(DovecotFileResource.ConfigDirectory + "/dovecot.conf")} ] || exit 0");
        script.AppendLine("printf 'I\\n'");
        script.AppendLine($"rc_dc_keys={Sh.Quote(DovecotRestartKeys.AwkProgram)}");
        for (var i = 0; i < resources.Count; i++)
        {
            if (resources[i] is not DovecotFileResource file)
            {
                continue;
            }

            // Links are reported, never followed: a staged write must not go through a link into a live file.
            // The text comes back only for files that hold no secret and that any local user could read anyway.
            script.Append(FileFacts.Script(i, Sh.Quote(file.Path), new FileFactsRead(FollowLinks: false, Content: file.Sensitive ? FileContentRead.Digest : FileContentRead.Text)));
            // $p is empty when the path was refused (PathSafety): nothing more is read through it.
            script.AppendLine("if [ -z \"$p\" ] || [ -L \"$p\" ]; then :");
            script.AppendLine("elif [ -f \"$p\" ]; then");
            script.AppendLine($"  printf 'R\\t{i}\\t%s\\n' \"$(timeout {HostText.ReadSeconds} head -c {HostText.MaxReadBytes} -- \"$p\" | awk \"$rc_dc_keys\" | sha256sum | cut -d' ' -f1)\"");
            script.AppendLine($"elif [ ! -e \"$p\" ] && [ ! -d \"$(dirname -- \"$p\")\" ]; then printf 'D\\t{i}\\n'; fi");
        }

        return script.ToString();
    }

    protected override IReadOnlyList<DovecotObserved> ParseFacts(IReadOnlyList<DovecotResource> resources, IReadOnlyList<string> lines)
    {
        var installed = lines.Contains("I");
        var byIndex = ByIndex(lines, resources.Count, "I");
        var observed = resources.Select<DovecotResource, DovecotObserved>((r, i) => r is DovecotFileResource
            ? ParseFile(installed, ByTag(byIndex[i], i))
            : new DovecotProbeObserved(installed)).ToList();

        // The first file that changes carries the transaction for all of them, with every probe of the host.
        var probes = resources.OfType<DovecotProbeResource>().ToList();
        return ServiceTransaction.Assign(
            resources,
            observed,
            i => resources[i] is DovecotFileResource file && NeedsChange(file, (DovecotFileObserved)observed[i]),
            (o, changing) => o with
            {
                Transaction = changing.Select(i => (DovecotFileResource)resources[i]).ToList(),
                Probes = probes,
                Restart = changing.Any(i => RestartKeysChange((DovecotFileResource)resources[i], (DovecotFileObserved)observed[i])),
            },
            (o, carrier) => o with { CarriedBy = carrier });
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
        if (o.Refused is { } refused)
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
        List<AttributeChange> attributes = o.Exists
            ? FileAttributeChanges(file, o)
            :
            [
                AttributeChange.Of(FileAttributeNames.Content, null, content).SecretIf(file.Sensitive),
                AttributeChange.Of(FileAttributeNames.Owner, null, file.Owner),
                AttributeChange.Of(FileAttributeNames.Group, null, file.Group),
                AttributeChange.Of(FileAttributeNames.Mode, null, file.NormalizedMode),
            ];

        string note;
        var effects = ChangeEffects.None;
        if (observed.Transaction is { } all)
        {
            // One reload (or restart) per host, however many files change: only the carrier says so.
            var action = observed.Restart ? "restart" : "reload";
            effects = observed.Restart ? ChangeEffects.RestartsService : ChangeEffects.ReloadsService;
            attributes.Add(AttributeChange.Of(observed.Restart ? DovecotAttributeNames.Restart : DovecotAttributeNames.Reload, null, "dovecot"));
            var probed = observed.Probes.Count == 0 ? "IMAP probed" : $"IMAP probed with a login as {string.Join(", ", observed.Probes.Select(p => p.User))}";
            note = $"one transaction for {all.Count} dovecot change(s): staged copy checked with doveconf, swapped in, dovecot {action}ed, {probed}; rolled back on failure";
        }
        else
        {
            note = ServiceTransaction.CarriedNote(observed.CarriedBy);
        }

        return new ResourceChange(desired.Address, o.Exists ? ChangeAction.Update : ChangeAction.Create, attributes, desired.Source, note) { Effects = effects };
    }

    protected override string ApplyScript(DovecotResource desired, DovecotObserved observed, ResourceChange change) =>
        observed.Transaction is { } all
            ? DovecotTransaction.Script(all, observed.Probes, observed.Restart)
            : DovecotTransaction.Confirm((DovecotFileResource)desired, observed.CarriedBy ?? "");

    private static DovecotFileObserved ParseFile(bool installed, IReadOnlyDictionary<string, string[]> facts)
    {
        if (!installed)
        {
            return new DovecotFileObserved(false);
        }

        var f = FileFacts.Parse(facts);
        if (f.Refused is { } refused)
        {
            return new DovecotFileObserved(true, Refused: refused);
        }

        if (!f.Exists)
        {
            return new DovecotFileObserved(true, ParentMissing: facts.ContainsKey("D"));
        }

        if (!f.IsRegularFile)
        {
            return new DovecotFileObserved(true, Exists: true, OtherType: f.Type);
        }

        return new DovecotFileObserved(
            true, true, null, false, f.Owner, f.OwnerId, f.Group, f.GroupId, f.Mode,
            f.Sha256, facts.GetValueOrDefault("R")?.FirstField(), f.Live?.Text) { Live = f.Live };
    }

    private static List<AttributeChange> FileAttributeChanges(DovecotFileResource desired, DovecotFileObserved o)
    {
        var changes = new List<AttributeChange>();
        var content = desired.Content ?? "";
        if (o.Sha256 != Sha256Text.Hex(content))
        {
            changes.Add(new AttributeChange(FileAttributeNames.Content, o.Live?.Shown ?? PlanValue.Of(o.Content), PlanValue.Of(content)).SecretIf(desired.Sensitive));
        }

        if (!FileProvider.SameAccount(desired.Owner, o.Owner, o.OwnerId))
        {
            changes.Add(AttributeChange.Of(FileAttributeNames.Owner, o.Owner, desired.Owner));
        }

        if (!FileProvider.SameAccount(desired.Group, o.Group, o.GroupId))
        {
            changes.Add(AttributeChange.Of(FileAttributeNames.Group, o.Group, desired.Group));
        }

        if (o.Mode != desired.NormalizedMode)
        {
            changes.Add(AttributeChange.Of(FileAttributeNames.Mode, o.Mode, desired.NormalizedMode));
        }

        return changes;
    }

    private static bool NeedsChange(DovecotFileResource desired, DovecotFileObserved observed) =>
        observed is { Installed: true, OtherType: null, ParentMissing: false, Refused: null }
        && (!observed.Exists || FileAttributeChanges(desired, observed).Count > 0);

    /// <summary>Whether this file's listener-related lines differ from the host's: a reload cannot take that.</summary>
    private static bool RestartKeysChange(DovecotFileResource desired, DovecotFileObserved observed) =>
        DovecotRestartKeys.Digest(desired.Content ?? "") != (observed.Exists ? observed.RestartKeys : DovecotRestartKeys.Digest(""));
}
