using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Postfix;

/// <summary>
/// main.cf parameters. All of a host's changes apply as one transaction (see <see cref="PostfixTransaction"/>): the
/// engine runs each change in its own subshell, so the first changed parameter carries the whole transaction and the
/// others only confirm that it left their value in place.
/// </summary>
public sealed class PostfixMainProvider : ResourceProvider<PostfixMainResource, PostfixMainObserved>
{
    public override string Kind => PostfixMainResource.KindName;

    // postconf lives in /usr/sbin, which a non-login PATH may lack.
    internal const string PathSetup = "PATH=/usr/sbin:/sbin:$PATH; export PATH";

    protected override string ReadScript(IReadOnlyList<PostfixMainResource> resources)
    {
        var script = new StringBuilder(PathSetup).AppendLine();
        script.AppendLine("command -v postconf >/dev/null 2>&1 || exit 0");
        script.AppendLine("[ -f \"$(postconf -h config_directory 2>/dev/null)/main.cf\" ] || exit 0");
        script.AppendLine("printf 'I\\n'");
        script.AppendLine("postconf -n 2>/dev/null | awk '{ print \"N\\t\" $0 }'");
        for (var i = 0; i < resources.Count; i++)
        {
            var p = Sh.Quote(resources[i].Parameter);
            // An unknown parameter is only a warning (exit 0) to postconf; the warning is the fact.
            script.AppendLine($"rc_w=$(postconf {p} 2>&1 >/dev/null); case \"$rc_w\" in " +
                              $"*'unknown parameter'*) printf 'U\\t{i}\\t%s\\n' \"$rc_w\" ;; " +
                              $"*) printf 'E\\t{i}\\t%s\\n' \"$(postconf -h {p} 2>/dev/null | tr '\\t' ' ')\" ;; esac");
        }

        return script.ToString();
    }

    protected override IReadOnlyList<PostfixMainObserved> ParseFacts(IReadOnlyList<PostfixMainResource> resources, IReadOnlyList<string> lines)
    {
        var installed = lines.Contains("I");
        var explicitValues = PostconfOutput.ParseExplicit(lines.Where(l => l.StartsWith("N\t", StringComparison.Ordinal)).Select(l => l[2..]));
        var byIndex = ByIndex(lines.Where(l => !l.StartsWith("N\t", StringComparison.Ordinal)).ToList());
        var observed = resources.Select((r, i) =>
        {
            var facts = byIndex[i].ToList();
            return new PostfixMainObserved(
                installed,
                explicitValues.TryGetValue(r.Parameter, out var set) ? set : null,
                facts.FirstOrDefault(f => f[0] == "E") is { } e ? PostfixMainResource.Normalize(e.Length > 2 ? e[2] : "") : null,
                facts.FirstOrDefault(f => f[0] == "U") is { } u ? string.Join(' ', u.Skip(2)).Trim() : null);
        }).ToList();

        // The first parameter that changes carries the transaction for all of them.
        var changing = resources.Where((r, i) => NeedsChange(r, observed[i])).ToList();
        if (changing.Count == 0)
        {
            return observed;
        }

        return observed.Select((o, i) => !NeedsChange(resources[i], o) ? o
            : ReferenceEquals(resources[i], changing[0]) ? o with { Transaction = changing }
            : o with { CarriedBy = changing[0].Address.ToString() }).ToList();
    }

    protected override ResourceChange Diff(PostfixMainResource desired, PostfixMainObserved observed)
    {
        if (!observed.Installed)
        {
            return ResourceChange.Blocked(desired, "postfix is not installed (no postconf, or no main.cf in its config_directory)");
        }

        if (observed.Unknown is not null)
        {
            return ResourceChange.Blocked(desired, $"this host's postfix has no parameter {desired.Parameter} ({observed.Unknown})");
        }

        if (!NeedsChange(desired, observed))
        {
            return ResourceChange.NoOp(desired);
        }

        var want = PostfixMainResource.Normalize(desired.Value);
        var before = observed.Explicit ?? $"{observed.Effective} (default)";
        var attributes = new List<AttributeChange> { new(desired.Parameter, before, want) };
        string note;
        if (observed.Transaction is { } all)
        {
            // One reload per host, however many parameters change: only the carrier says so, so comments count it once.
            attributes.Add(new AttributeChange("reload", null, "postfix"));
            note = $"one transaction for {all.Count} postfix_main change(s): staged copy checked, main.cf swapped in, postfix reloaded, SMTP banner probed; rolled back on failure";
        }
        else
        {
            note = $"applied in {observed.CarriedBy}'s transaction";
        }

        return new ResourceChange(desired.Address, observed.Explicit is null ? ChangeAction.Create : ChangeAction.Update, attributes, desired.Source, note);
    }

    protected override string ApplyScript(PostfixMainResource desired, PostfixMainObserved observed, ResourceChange change) =>
        observed.Transaction is { } all ? PostfixTransaction.Script(all) : PostfixTransaction.Confirm(desired, observed.CarriedBy ?? "");

    private static bool NeedsChange(PostfixMainResource desired, PostfixMainObserved observed) =>
        observed.Installed && observed.Unknown is null && observed.Effective != PostfixMainResource.Normalize(desired.Value);
}
