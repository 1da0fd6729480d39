using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Postfix;

/// <summary>
/// main.cf parameters (postfix_main), master.cf services (postfix_master) and map files (postfix_map). All of a host's
/// changes to these files apply as one group (<see cref="Group"/>): the first changed setting's step is the whole
/// transaction (see <see cref="PostfixTransaction"/>) and the others' steps only confirm that it left them in place.
/// </summary>
public sealed partial class PostfixProvider : ResourceProvider<PostfixResource, PostfixObserved>
{
    public override string Kind => "postfix";

    // postconf lives in /usr/sbin, which a non-login PATH may lack.
    internal const string PathSetup = "PATH=/usr/sbin:/sbin:$PATH; export PATH";

    protected override string ReadScript(IReadOnlyList<PostfixResource> resources)
    {
        var script = new StringBuilder(PathSetup).AppendLine().AppendLine(HostText.Library);
        script.AppendLine("command -v postconf >/dev/null 2>&1 || exit 0");
        script.AppendLine("[ -f \"$(postconf -h config_directory 2>/dev/null)/main.cf\" ] || exit 0");
        script.AppendLine("printf 'I\\n'");
        script.AppendLine("postconf -n 2>/dev/null | awk '{ print \"N\\t\" $0 }'");
        if (resources.OfType<PostfixMasterResource>().Any())
        {
            script.AppendLine("postconf -M 2>/dev/null | awk '{ print \"M\\t\" $0 }'");
        }

        script.Append(TablesReadScript(resources));

        for (var i = 0; i < resources.Count; i++)
        {
            if (resources[i] is not PostfixMainResource main)
            {
                continue;
            }

            var p = Sh.Quote(main.Parameter);
            // An unknown parameter is only a warning (exit 0) to postconf; the warning is the fact.
            script.AppendLine($"rc_w=$(postconf {p} 2>&1 >/dev/null); case \"$rc_w\" in " +
                              $"*'unknown parameter'*) printf 'U\\t{i}\\t%s\\n' \"$rc_w\" ;; " +
                              $"*) printf 'E\\t{i}\\t%s\\n' \"$(postconf -h {p} 2>/dev/null | tr '\\t' ' ')\" ;; esac");
            script.Append(ReferencesReadScript(main, i));
        }

        return script.ToString();
    }

    /// <summary>Each map file's own facts, read in config_directory when postfix is installed (as the kind's own facts are).</summary>
    protected override IReadOnlyList<FactQuery> SharedQueries(IReadOnlyList<PostfixResource> resources)
    {
        var maps = resources.OfType<PostfixMapResource>().ToList();
        if (maps.Count == 0)
        {
            return [];
        }

        // The file's own facts never include its text: only its digest, mode, owner and group leave the host.
        var setup = $"""
            {PathSetup}
            command -v postconf >/dev/null 2>&1 || exit 0
            rc_pf_conf=$(postconf -h config_directory 2>/dev/null)
            [ -f "$rc_pf_conf/main.cf" ] || exit 0
            """;
        return [FileFacts.Query(maps.Select(m => new FileFactsPath($"\"$rc_pf_conf\"/{Sh.Quote(m.Name)}", MapRead)).ToList(), setup)];
    }

    protected override IReadOnlyList<PostfixObserved> ParseFacts(IReadOnlyList<PostfixResource> resources, FactAnswers answers)
    {
        var lines = answers[Kind];
        var installed = lines.Contains("I");
        var explicitValues = PostconfOutput.ParseExplicit(Tagged(lines, "N\t"));
        var master = PostconfOutput.ParseMaster(Tagged(lines, "M\t"));
        // A map's own "N\tI" (no file) needs no reading: its absence of an S record says the same, and postconf -n's
        // listing above skips it (a line without " =").
        var byIndex = ByIndex(lines.Where(l => !l.StartsWith("N\t", StringComparison.Ordinal) && !l.StartsWith("M\t", StringComparison.Ordinal)), resources.Count,
            "I", "D", "G", "T");
        var tables = TableFacts.Parse(lines);
        var maps = resources.OfType<PostfixMapResource>().ToList();
        var files = maps.Count == 0 ? [] : FileFacts.Parse(answers, maps.Count);
        return resources.Select<PostfixResource, PostfixObserved>((r, i) =>
        {
            if (r is PostfixMasterResource service)
            {
                return new PostfixMasterObserved(installed, master.TryGetValue(service.Key, out var entry) ? entry : null);
            }

            if (r is PostfixMapResource map)
            {
                // Settings (K, Q) come once per line; every other record of a map comes once.
                var records = byIndex[i].ToList();
                return ParseMap(map, installed, tables, files[maps.IndexOf(map)], ByTag(records.Where(f => f[0] is not ("K" or "Q")), i), records);
            }

            var main = (PostfixMainResource)r;
            var facts = byIndex[i].ToList();
            return new PostfixMainObserved(
                installed,
                explicitValues.TryGetValue(main.Parameter, out var set) ? set : null,
                facts.FirstOrDefault(f => f[0] == "E") is { } e ? PostfixMainResource.Normalize(e.Length > 2 ? e[2] : "") : null,
                facts.FirstOrDefault(f => f[0] == "U") is { } u ? string.Join(' ', u.Skip(2)).Trim() : null)
            {
                MissingTable = MissingTable(facts, tables.Directory, resources.OfType<PostfixMapResource>()),
            };
        }).ToList();
    }

    protected override ResourceChange Diff(PostfixResource desired, PostfixObserved observed)
    {
        if (!observed.Installed)
        {
            return ResourceChange.Blocked(desired, "postfix is not installed (no postconf, or no main.cf in its config_directory)");
        }

        if (observed is PostfixMainObserved { Unknown: { } unknown } && desired is PostfixMainResource p)
        {
            return ResourceChange.Blocked(desired, $"this host's postfix has no parameter {p.Parameter} ({unknown})");
        }

        if (observed is PostfixMainObserved { MissingTable: { } missing } named && desired is PostfixMainResource naming
            && named.Effective != PostfixMainResource.Normalize(naming.Value))
        {
            return ResourceChange.Blocked(desired, $"{naming.Parameter} would name {missing}, which is not on this host and not declared as a postfix_map");
        }

        if (observed is PostfixMapObserved { Refused: { } refused })
        {
            return ResourceChange.Blocked(desired, refused);
        }

        if (observed is PostfixMapObserved { Supported: false } && desired is PostfixMapResource unsupported)
        {
            return ResourceChange.Blocked(desired, $"this host's postfix has no {unsupported.Type} table support (postconf -m does not list it; on Debian install postfix-{unsupported.Type})");
        }

        if (!NeedsChange(desired, observed))
        {
            return ResourceChange.NoOp(desired);
        }

        List<AttributeChange> attributes;
        bool create;
        if (desired is PostfixMapResource map)
        {
            var o = (PostfixMapObserved)observed;
            create = o.File is null;
            attributes = MapAttributes(map, o);
        }
        else if (desired is PostfixMasterResource service)
        {
            var entry = ((PostfixMasterObserved)observed).Entry;
            create = entry is null;
            attributes = create
                ? [AttributeChange.Of(PostfixAttributeNames.Entry, null, service.Entry)]
                : PostfixMasterResource.Columns(entry!).Zip(PostfixMasterResource.Columns(service.Entry))
                    .Where(c => c.First.Value != c.Second.Value)
                    .Select(c => AttributeChange.Of(PostfixAttributeNames.Column(c.First.Name), c.First.Value, c.Second.Value)).ToList();
        }
        else
        {
            var main = (PostfixMainResource)desired;
            var o = (PostfixMainObserved)observed;
            create = o.Explicit is null;
            attributes = [AttributeChange.Of(PostfixAttributeNames.Parameter(main.Parameter), o.Explicit ?? $"{o.Effective} (default)", PostfixMainResource.Normalize(main.Value))];
        }

        return new ResourceChange(desired.Address, create ? ChangeAction.Create : ChangeAction.Update, attributes, desired.Source);
    }

    /// <summary>One change alone is a transaction of one; on a host the engine applies them as <see cref="Group"/>.</summary>
    protected override string ApplyScript(PostfixResource desired, PostfixObserved observed, ResourceChange change) =>
        PostfixTransaction.Script([desired]);

    /// <summary>
    /// Every change on the host is one transaction, carried by the first changed setting's step: one reload per host,
    /// however many settings change, and only the carrier shows it, so comments count it once. The others' steps confirm.
    /// </summary>
    protected override ChangeGroup? Group(IReadOnlyList<PlannedChange> planned)
    {
        var changing = planned.Where(p => p.Change.Action.ChangesHost()).Select(p => (PostfixResource)p.Resource).ToList();
        if (changing.Count == 0)
        {
            return null;
        }

        var maps = changing.OfType<PostfixMapResource>().Count();
        var carrier = new GroupStep(
            changing[0],
            PostfixTransaction.Script(changing),
            maps == 0
                ? $"one transaction for {changing.Count} postfix change(s): staged copy of main.cf and master.cf checked, both swapped in, postfix reloaded, SMTP banner probed; both rolled back on failure"
                : $"one transaction for {changing.Count} postfix change(s): staged copy of main.cf, master.cf and {maps} map file(s) checked (postconf, postfix check, postmap -q against the database), all swapped in, postfix reloaded, SMTP banner probed; all rolled back on failure");
        var note = ChangeGroup.CarriedNote(carrier);
        return new ChangeGroup(
            [carrier, .. changing.Skip(1).Select(r => new GroupStep(r, PostfixTransaction.Confirm(r, carrier.Member.Address.ToString()), note))],
            // The reload is the transaction's own step: a failed reload puts every file back before postfix reloads again.
            [new GroupEffect(PostfixAttributeNames.Reload, "postfix", ChangeEffects.ReloadsService)]);
    }

    private static IEnumerable<string> Tagged(IReadOnlyList<string> lines, string tag) =>
        lines.Where(l => l.StartsWith(tag, StringComparison.Ordinal)).Select(l => l[tag.Length..]);

    private static bool NeedsChange(PostfixResource desired, PostfixObserved observed) => observed.Installed && (desired, observed) switch
    {
        (PostfixMainResource main, PostfixMainObserved o) => o.Unknown is null && o.MissingTable is null && o.Effective != PostfixMainResource.Normalize(main.Value),
        (PostfixMapResource map, PostfixMapObserved o) => o.Supported && o.Refused is null && MapNeedsChange(map, o),
        (PostfixMasterResource service, PostfixMasterObserved o) => o.Entry != service.Entry,
        _ => false,
    };
}
