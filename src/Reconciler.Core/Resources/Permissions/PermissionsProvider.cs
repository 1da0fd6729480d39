using Reconciler.Core.Facts;
using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Permissions;

/// <summary>
/// Clears permission bits under a path, as <c>chmod -R g-w PATH</c> does, but reading first: one <c>find</c> per
/// resource lists the offenders, and apply runs the same <c>find</c> expression, so excluded subtrees and other
/// filesystems (<c>-xdev</c>) are left alone by both. Links are skipped: chmod would change their targets.
/// </summary>
public sealed class PermissionsProvider : ResourceProvider<PermissionsResource, PermissionsObserved>
{
    /// <summary>How many offending paths the plan names; the rest are counted.</summary>
    public const int SampleSize = 10;

    public override string Kind => PermissionsResource.KindName;

    protected override string ReadScript(IReadOnlyList<PermissionsResource> resources)
    {
        var script = new StringBuilder(PathSafety.Carry(PathSafety.Functions)).AppendLine();
        for (var i = 0; i < resources.Count; i++)
        {
            var r = resources[i];
            var find = Find(r, Sh.Quote(r.Path)); // as declared: excludes match the path as written
            // The path is judged first (PathSafety): one another user controls, or reached through their link, is refused;
            // find -H follows a link given as the path, so rc_chain resolves one there too.
            var facts = new StringBuilder();
            facts.AppendLine("if [ -e \"$p\" ]; then");
            facts.AppendLine($"  printf 'C\\t{i}\\t%s\\n' \"$({find} -printf x | wc -c)\"");
            // NUL-separated and base64-encoded: a name with a newline or tab stays one name. A name only root could
            // list (its directory not readable, or an ancestor not searchable, by other users) is sent as a mark.
            facts.AppendLine($"  printf 'P\\t{i}\\t%s\\n' \"$({find} -print0 | head -z -n {SampleSize} | xargs -0 -r sh -c {Sh.Quote(ListableFilter)} sh | base64 -w0)\"");
            facts.AppendLine($"else printf 'N\\t{i}\\n'; fi");
            script.Append(PathSafety.Judged(i, Sh.Quote(r.Path), follow: true, asControllingUser: false, facts.ToString()));
        }

        return script.ToString();
    }

    /// <summary>Prints each argument NUL-terminated when any local user could list it, <see cref="Unlisted"/> otherwise.</summary>
    private const string ListableFilter = """
        for p; do
          d=$(dirname -- "$p"); ok=1
          case "$(stat -c %A -- "$d")" in ???????r?[xt]) ;; *) ok= ;; esac
          while [ -n "$ok" ] && [ "$d" != / ]; do
            d=$(dirname -- "$d")
            case "$(stat -c %A -- "$d")" in ?????????[xt]) ;; *) ok= ;; esac
          done
          if [ -n "$ok" ]; then printf '%s\0' "$p"; else printf '\001\0'; fi
        done
        """;

    /// <summary>The mark the host sends instead of a name local users could not list.</summary>
    private const string Unlisted = "\u0001";

    protected override IReadOnlyList<PermissionsObserved> ParseFacts(IReadOnlyList<PermissionsResource> resources, IReadOnlyList<string> lines)
    {
        var byIndex = ByIndex(lines, resources.Count);
        return resources.Select((_, i) =>
        {
            var facts = ByTag(byIndex[i], i);
            if (facts.GetValueOrDefault("B")?.FirstField() is { } refused)
            {
                return PermissionsObserved.Missing with { Refused = refused };
            }

            if (!facts.TryGetValue("C", out var c) || c.Length < 3 || !int.TryParse(c[2].Trim(), out var count))
            {
                return PermissionsObserved.Missing;
            }

            var sample = facts.TryGetValue("P", out var p) && p.Length > 2 && p[2].Length > 0
                ? Encoding.UTF8.GetString(Convert.FromBase64String(p[2])).Split('\0', StringSplitOptions.RemoveEmptyEntries)
                : [];
            return new PermissionsObserved(true, count, sample);
        }).ToList();
    }

    protected override ResourceChange Diff(PermissionsResource desired, PermissionsObserved observed)
    {
        if (observed.Refused is { } refused)
        {
            return ResourceChange.Blocked(desired, refused);
        }

        if (!observed.Exists)
        {
            return ResourceChange.Blocked(desired, "path does not exist");
        }

        if (observed.Offenders == 0)
        {
            return ResourceChange.NoOp(desired);
        }

        var shown = observed.Sample.Where(p => p != Unlisted).ToList();
        var unlisted = observed.Sample.Count - shown.Count;
        var more = observed.Offenders - observed.Sample.Count;
        var hidden = unlisted > 0 ? $"{(shown.Count > 0 ? ", " : "")}{unlisted} not shown (local users cannot list their directory)" : "";
        var before = $"{observed.Offenders} file(s): {string.Join(", ", shown)}{hidden}{(more > 0 ? $", and {more} more" : "")}";
        return new ResourceChange(desired.Address, ChangeAction.Update,
            [new AttributeChange(RemovedBits.Describe(desired.Mask), before, "none")], desired.Source);
    }

    protected override string ApplyScript(PermissionsResource desired, PermissionsObserved observed, ResourceChange change)
    {
        var find = Find(desired, Sh.Quote(desired.Path));
        var mode = desired.Remove;
        var script = new StringBuilder(PathSafety.Rejudge(desired.Path, follow: true, null));
        // One chmod for many paths; what it cannot change (an immutable file, say) is left for the loop below.
        script.AppendLine($"{find} -exec chmod {Sh.Quote(mode)} -- {{}} + 2>/dev/null || :");
        // The rest one by one, so rc_unlock can lift +i and put it back; a path that still fails stops with chmod's message.
        script.AppendLine($"rc_left=$({find} -print0 | sed -z \"s/'/'\\\\\\\\''/g; s/^/'/; s/\\$/' /\" | tr -d '\\0')");
        script.AppendLine("eval \"set -- $rc_left\"");
        script.AppendLine($"for rc_path in \"$@\"; do rc_unlock \"$rc_path\"; chmod {Sh.Quote(mode)} -- \"$rc_path\"; rc_relock; done");
        return script.ToString();
    }

    /// <summary>The offenders: not a link, any removed bit set, not under an excluded path, on the path's filesystem.</summary>
    private static string Find(PermissionsResource r, string pathWord)
    {
        var find = new StringBuilder($"find -H {pathWord} -xdev");
        if (!r.Recursive)
        {
            find.Append(" -maxdepth 0");
        }

        if (r.Exclude.Count > 0)
        {
            find.Append(" \\( ")
                .Append(string.Join(" -o ", r.Exclude.Select(e => "-path " + Sh.Quote(GlobLiteral(e)))))
                .Append(" \\) -prune -o");
        }

        return find.Append($" ! -type l -perm /{RemovedBits.Octal(r.Mask)}").ToString();
    }

    /// <summary>find's -path takes a glob; a declared path is matched literally.</summary>
    private static string GlobLiteral(string path) =>
        new StringBuilder(path).Replace("\\", "\\\\").Replace("*", "\\*").Replace("?", "\\?").Replace("[", "\\[").ToString();
}
