using Reconciler.Core.Facts;
using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Permissions;

/// <summary>
/// Clears permission bits under a path, as <c>chmod -R g-w PATH</c> does, but reading first: one <c>find</c> per
/// resource lists the offenders, and apply runs the same <c>find</c> expression, so excluded subtrees and other
/// filesystems (<c>-xdev</c>) are left alone by both. Only regular files and directories are changed: chmod on a link
/// would change its target.
/// <para>
/// The class closed here: root never acts by name inside a directory another user controls. A directory not owned by
/// root, or one users other than root may write (others' bit, a group other than root, or a POSIX ACL whose mask grants
/// write), is not descended: its own mode is still corrected (its name lives in a directory only root can change), but
/// nothing in it is, since its owner could swap an entry for a link to any file (<c>mv -T</c>) between find's look and
/// chmod. The plan names those directories as not descended. Everything find does reach is then in directories only
/// root can change, so a name it found still means the file it found; chmod runs from that directory
/// (<c>-execdir</c>) on find's own regular files and directories.
/// </para>
/// </summary>
public sealed class PermissionsProvider : ResourceProvider<PermissionsResource, PermissionsObserved>, IGlobPaths<PermissionsResource, PermissionsObserved>
{
    /// <summary>How many offending paths the plan names; the rest are counted.</summary>
    public const int SampleSize = 10;

    public override string Kind => PermissionsResource.KindName;

    protected override string ReadScript(IReadOnlyList<PermissionsResource> resources)
    {
        var script = new StringBuilder(GlobLibrary).AppendLine();
        for (var i = 0; i < resources.Count; i++)
        {
            script.Append(Facts(i, resources[i], Sh.Quote(resources[i].Path))); // as declared: excludes match the path as written
        }

        return script.ToString();
    }

    /// <summary>One path's read, as records with index <paramref name="i"/>: the path the shell word <paramref name="pathWord"/> names.</summary>
    private static string Facts(int i, PermissionsResource r, string pathWord)
    {
        var find = Find(r, pathWord);
        // The path is judged first (PathSafety): one another user controls, or reached through their link, is refused;
        // find -H follows a link given as the path, so rc_chain resolves one there too.
        var facts = new StringBuilder();
        facts.AppendLine("if [ -e \"$p\" ]; then");
        facts.AppendLine($"  printf 'C\\t{i}\\t%s\\n' \"$({find} -printf x | wc -c)\"");
        // NUL-separated and base64-encoded: a name with a newline or tab stays one name. A name only root could
        // list (its directory not readable, or an ancestor not searchable, by other users) is sent as a mark.
        facts.AppendLine($"  printf 'P\\t{i}\\t%s\\n' \"$({find} -print0 | head -z -n {SampleSize} | xargs -0 -r sh -c {Sh.Quote(ListableFilter)} sh | base64 -w0)\"");
        if (r.Recursive)
        {
            // The directories not descended: one more than shown, so the plan can say there are more.
            facts.AppendLine($"  printf 'D\\t{i}\\t%s\\n' \"$({NotDescendedFind(r, pathWord)} -print0 | head -z -n {SampleSize + 1} | xargs -0 -r sh -c {Sh.Quote(NotDescendedFilter)} sh | base64 -w0)\"");
        }

        facts.AppendLine($"else printf 'N\\t{i}\\n'; fi");
        return PathSafety.Judged(i, pathWord, follow: true, asControllingUser: false, facts.ToString());
    }

    /// <summary>A glob's match is read by the very fragment a literal path gets; a match an exclude names is no match.</summary>
    public GlobRead? Glob(PermissionsResource resource) =>
        resource.Glob
            ? new GlobRead(resource.Path, resource.ExcludePatterns ? resource.Exclude : resource.Exclude.Select(GlobPaths.Escape).ToList(), Facts(0, resource, "\"$rc_m\""))
            : null;

    public string GlobLibrary => PathSafety.Carry(PathSafety.Functions);

    public PermissionsResource Match(PermissionsResource declared, string path) => declared with { Path = path, Glob = false };

    public PermissionsObserved ParseMatch(PermissionsResource match, IReadOnlyList<string[]> records) => Observe(ByTag(records, 0));

    /// <summary>Prints each argument NUL-terminated when any local user could list it, <see cref="Unlisted"/> otherwise.</summary>
    private static readonly string ListableFilter = Listable("printf '%s\\0' \"$p\"");

    /// <summary>
    /// For each directory not descended that any local user could list: its owner, group and mode, a tab, its name,
    /// NUL-terminated (<see cref="Unlisted"/> otherwise). Owner and group names hold no tab; the name may.
    /// </summary>
    private static readonly string NotDescendedFilter =
        Listable("printf '%s\\t%s\\0' \"$(stat -c '%U %G %A' -- \"$p\" | head -c 256 | tr -d '\\n\\t')\" \"$p\"");

    private static string Listable(string emit) => $$"""
        for p; do
          d=$(dirname -- "$p"); ok=1
          case "$(stat -c %A -- "$d")" in ???????r?[xt]) ;; *) ok= ;; esac
          while [ -n "$ok" ] && [ "$d" != / ]; do
            d=$(dirname -- "$d")
            case "$(stat -c %A -- "$d")" in ?????????[xt]) ;; *) ok= ;; esac
          done
          if [ -n "$ok" ]; then {{emit}}; else printf '\001\0'; fi
        done
        """;

    /// <summary>The mark the host sends instead of a name local users could not list.</summary>
    private const string Unlisted = "\u0001";

    protected override IReadOnlyList<PermissionsObserved> ParseFacts(IReadOnlyList<PermissionsResource> resources, FactAnswers answers)
    {
        var lines = answers[Kind];
        var byIndex = ByIndex(lines, resources.Count);
        return resources.Select((_, i) => Observe(ByTag(byIndex[i], i))).ToList();
    }

    private static PermissionsObserved Observe(IReadOnlyDictionary<string, string[]> facts)
    {
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
        var notDescended = facts.TryGetValue("D", out var d) && d.Length > 2 && d[2].Length > 0
            ? Encoding.UTF8.GetString(Convert.FromBase64String(d[2])).Split('\0', StringSplitOptions.RemoveEmptyEntries)
            : [];
        return new PermissionsObserved(true, count, sample)
        {
            NotDescended = notDescended.Take(SampleSize).Select(DescribeNotDescended).ToList(),
            MoreNotDescended = notDescended.Length > SampleSize,
        };
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

        var notDescended = NotDescendedNote(observed);
        if (observed.Offenders == 0)
        {
            // Nothing to change where root alone controls; what is under another user's directory is theirs, said once.
            return notDescended is null ? ResourceChange.NoOp(desired) : ResourceChange.Skipped(desired, notDescended);
        }

        var shown = observed.Sample.Where(p => p != Unlisted).ToList();
        var unlisted = observed.Sample.Count - shown.Count;
        var more = observed.Offenders - observed.Sample.Count;
        var hidden = unlisted > 0 ? $"{(shown.Count > 0 ? ", " : "")}{unlisted} not shown (local users cannot list their directory)" : "";
        var before = $"{observed.Offenders} file(s): {string.Join(", ", shown)}{hidden}{(more > 0 ? $", and {more} more" : "")}";
        return new ResourceChange(desired.Address, ChangeAction.Update,
            [AttributeChange.Of(PermissionsAttributeNames.Removed(desired.Mask), before, "none")], desired.Source, notDescended);
    }

    /// <summary>"PATH: owned by USER" or "PATH: writable by other users (MODE USER:GROUP)" from a filter record.</summary>
    private static string DescribeNotDescended(string record)
    {
        if (record == Unlisted)
        {
            return "a directory local users cannot list";
        }

        var tab = record.IndexOf('\t');
        var fields = tab < 0 ? [] : record[..tab].Split(' ');
        var path = tab < 0 ? record : record[(tab + 1)..];
        return fields.Length == 3 && fields[0] != "root"
            ? $"{path}: owned by {fields[0]}"
            : fields.Length == 3 ? $"{path}: writable by other users ({fields[2]} {fields[0]}:{fields[1]})" : path;
    }

    private static string? NotDescendedNote(PermissionsObserved observed) =>
        observed.NotDescended.Count == 0
            ? null
            : $"not descended (another user controls them; their contents are left to that user): {string.Join("; ", observed.NotDescended)}{(observed.MoreNotDescended ? "; and more" : "")}";

    protected override string ApplyScript(PermissionsResource desired, PermissionsObserved observed, ResourceChange change)
    {
        var path = Sh.Quote(desired.Path);
        var mode = Sh.Quote(desired.Remove);
        var script = new StringBuilder(PathSafety.Rejudge(desired.Path, follow: true, null));
        // First everything in directories root alone controls: one chmod per directory, run in it on the names find found
        // there; what it cannot change (an immutable file, say) is left for the loop after it.
        script.AppendLine($"{Inside(desired, path)} -execdir chmod {mode} -- {{}} + 2>/dev/null || :");
        // The rest one by one, so rc_unlock can lift +i and put it back; a path that still fails stops with chmod's message.
        // By full name: find reached it only through directories root alone can change, so no one can redirect it.
        script.Append(OneByOne(Inside(desired, path), mode));
        // Last, the directories not descended, their own mode only (their names are in directories only root can change).
        // Last, because one that loses its group's write becomes root's alone: a walk after it would go where the plan
        // said it would not.
        script.Append(OneByOne($"{NotDescendedFind(desired, path)} -perm /{RemovedBits.Octal(desired.Mask)}", mode));
        return script.ToString();
    }

    private static string OneByOne(string find, string mode) =>
        $"rc_left=$({find} -print0 | sed -z \"s/'/'\\\\\\\\''/g; s/^/'/; s/\\$/' /\" | tr -d '\\0')\n" +
        "eval \"set -- $rc_left\"\n" +
        $"for rc_path in \"$@\"; do rc_unlock \"$rc_path\"; chmod {mode} -- \"$rc_path\"; rc_relock; done\n";

    /// <summary>
    /// The offenders the plan shows: a regular file or directory with any removed bit set, not under an excluded path,
    /// on the path's filesystem, and not inside a directory another user controls (<see cref="OtherUsersDirectory"/>).
    /// </summary>
    private static string Find(PermissionsResource r, string pathWord) =>
        $"{Walk(r, pathWord)} \\( {OtherUsersDirectory} -prune -o -true \\) {Offending(r)}";

    /// <summary>The same, less the directories not descended themselves (an action appended applies to the offenders).</summary>
    private static string Inside(PermissionsResource r, string pathWord) =>
        $"{Walk(r, pathWord)} {OtherUsersDirectory} -prune -o {Offending(r)}";

    private static string Offending(PermissionsResource r) => $"\\( -type f -o -type d \\) -perm /{RemovedBits.Octal(r.Mask)}";

    /// <summary>The directories <see cref="Find"/> does not descend into (the outermost ones).</summary>
    private static string NotDescendedFind(PermissionsResource r, string pathWord) => $"{Walk(r, pathWord)} {OtherUsersDirectory} -prune";

    /// <summary>
    /// find's expression for a directory another user controls: not owned by root, or writable by others, by a group
    /// other than root, or (group bits with write on a root-group directory) through a POSIX ACL's mask, which ls marks
    /// with a + (only those rare directories cost an ls). Only root can change any of that on a directory, so the
    /// verdict cannot be undone between find's look and its descent.
    /// </summary>
    private const string OtherUsersDirectory =
        "-type d \\( ! -user 0 -o -perm /0002 -o ! -group 0 -perm /0020 -o -perm /0020 " +
        "-exec sh -c 'case \"$(ls -ld -- \"$1\" | head -c 11)\" in ??????????+) exit 0 ;; esac; exit 1' sh {} \\; \\)";

    /// <summary>find from the path (a link there followed: -H), on its filesystem, excluded subtrees pruned.</summary>
    private static string Walk(PermissionsResource r, string pathWord)
    {
        var find = new StringBuilder($"find -H {pathWord} -xdev");
        if (!r.Recursive)
        {
            find.Append(" -maxdepth 0");
        }

        if (r.Exclude.Count > 0)
        {
            find.Append(" \\( ")
                .Append(string.Join(" -o ", r.Exclude.Select(e => "-path " + Sh.Quote(r.ExcludePatterns ? e : GlobLiteral(e)))))
                .Append(" \\) -prune -o");
        }

        return find.ToString();
    }

    /// <summary>find's -path takes a glob; a declared path is matched literally (unless the excludes are patterns).</summary>
    private static string GlobLiteral(string path) =>
        new StringBuilder(path).Replace("\\", "\\\\").Replace("*", "\\*").Replace("?", "\\?").Replace("[", "\\[").ToString();
}
