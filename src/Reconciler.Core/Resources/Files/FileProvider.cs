using Reconciler.Core.Model;
using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Files;

public sealed class FileProvider : ResourceProvider<FileResource, FileFacts>, IGlobPaths<FileResource, FileFacts>
{
    /// <summary>Larger files are compared by digest only; their old text is not shown in the plan.</summary>
    public const int MaxContentShown = HostText.MaxShownBytes;

    public override string Kind => FileResource.KindName;

    /// <summary>The file kind reads nothing of its own: only the file facts.</summary>
    protected override string ReadScript(IReadOnlyList<FileResource> resources) => "";

    protected override IReadOnlyList<FactQuery> SharedQueries(IReadOnlyList<FileResource> resources) =>
        [FileFacts.Query(resources.Select(r => new FileFactsPath(Sh.Quote(r.Path), Read(r))).ToList())];

    // chattr flags are read only for a file that declares them: the diff never looks at them otherwise, and lsattr is two
    // processes on the host for every path of every plan.
    private static FileFactsRead Read(FileResource r) =>
        new(r.Follow, Attributes: r.Attributes is not null, r.Content is null ? FileContentRead.None : r.Sensitive ? FileContentRead.Digest : FileContentRead.Text, AsControllingUser: true);

    /// <summary>A glob's match is read with the very file facts a literal path gets.</summary>
    public GlobRead? Glob(FileResource resource) =>
        resource.Glob ? new GlobRead(resource.Path, [], FileFacts.Script(0, "\"$rc_m\"", Read(resource))) : null;

    public string GlobLibrary => FileFacts.Library;

    public FileResource Match(FileResource declared, string path) => declared with { Path = path, Glob = false };

    public FileFacts ParseMatch(FileResource match, IReadOnlyList<string[]> records) => FileFacts.Parse(Kind, 0, records);

    /// <summary>A file's observed state is its <see cref="FileFacts"/>: the kind reads nothing else.</summary>
    protected override IReadOnlyList<FileFacts> ParseFacts(IReadOnlyList<FileResource> resources, FactAnswers answers) =>
        FileFacts.Parse(answers, resources.Count);

    protected override ResourceChange Diff(FileResource desired, FileFacts observed)
    {
        var wantType = desired.Type == FileType.Directory ? "directory" : "file";
        if (PathRefusal(desired, observed) is { } refusal)
        {
            return ResourceChange.Blocked(desired, refusal);
        }

        if (desired.Ensure == Ensure.Absent)
        {
            return observed.Exists
                ? new ResourceChange(desired.Address, ChangeAction.Delete, [AttributeChange.Of(FileAttributeNames.Type, observed.Type, null)], desired.Source)
                : ResourceChange.NoOp(desired);
        }

        if (observed.LinkTarget is { } target)
        {
            return ResourceChange.Blocked(desired, $"is a symbolic link to {target}; links are not followed unless the spec says follow: true");
        }

        if (!observed.Exists)
        {
            return desired.WhenMissing switch
            {
                WhenMissing.Skip => ResourceChange.Skipped(desired, "absent on this host (when_missing: skip)"),
                WhenMissing.Fail => ResourceChange.Blocked(desired, "absent on this host; declare content, or when_missing: create or skip"),
                _ when observed.SharedDirectory is { } shared => ResourceChange.Blocked(desired,
                    $"unsafe path transition: it would be created in {shared}, which other users can write; a new file is not created there"),
                _ => new ResourceChange(desired.Address, ChangeAction.Create, CreatedAttributes(desired, wantType), desired.Source),
            };
        }

        if (observed.Type != wantType)
        {
            return ResourceChange.Blocked(desired, $"is a {observed.Type} on this host, declared as a {wantType}; it is not replaced automatically");
        }

        if (desired.Attributes is not null && observed.Attributes is null)
        {
            return ResourceChange.Blocked(desired, "the filesystem does not report chattr attributes for this path");
        }

        if (desired.Content is not null && observed.Live?.Unreadable is { } unreadable)
        {
            return ResourceChange.Blocked(desired, $"its content cannot be read: {unreadable}");
        }

        var changes = FileDiff.Changes(observed, desired.Content, desired.Sensitive, desired.Owner, desired.Group, desired.Mode);
        if (desired.Attributes is not null && ManagedFlags(desired.Attributes) != ManagedFlags(observed.Attributes!))
        {
            changes.Add(AttributeChange.Of(FileAttributeNames.Attributes, Show(ManagedFlags(observed.Attributes!)), Show(ManagedFlags(desired.Attributes))));
        }

        return changes.Count == 0
            ? ResourceChange.NoOp(desired)
            : new ResourceChange(desired.Address, ChangeAction.Update, changes, desired.Source);
    }

    /// <summary>
    /// Why the path may not be managed as declared (<see cref="PathSafety"/>): the host refused it, or a user other than
    /// root controls a directory on the way and the declaration asks for more than that user's rights — the file is
    /// written as that user, so it must be (or become) that user's, and chattr flags need root.
    /// </summary>
    internal static string? PathRefusal(FileResource desired, FileFacts observed)
    {
        if (observed.Refused is { } refused)
        {
            return refused;
        }

        if (observed.ControlledBy is not { } user)
        {
            return null;
        }

        var by = $"{user.User} controls a directory on the way, so it is written as {user.User} only";
        if (desired.Owner is not null && !SameAccount(desired.Owner, user.User, user.Uid))
        {
            return $"unsafe path transition: the declared owner {desired.Owner} differs from {user.User}; {by}";
        }

        if (observed.Exists && observed.LinkTarget is null && observed.OwnerId != user.Uid && desired.Ensure != Ensure.Absent)
        {
            return $"unsafe path transition: it belongs to {observed.Owner}, not {user.User}; {by}";
        }

        return desired.Attributes is not null ? $"chattr attributes need root; {by}" : null;
    }

    protected override string ApplyScript(FileResource desired, FileFacts observed, ResourceChange change)
    {
        // The path is judged again now (a parent swapped for a link since the plan is refused here), and the change
        // runs as the user who controls it, when one does: what that user redirects, the user could write anyway.
        var creating = change.Action == ChangeAction.Create;
        var judged = PathSafety.Rejudge(desired.Path, desired.Follow && !creating, observed.ControlledBy?.Uid);
        return PathSafety.OneChangeMemo(desired.Path) + judged + $"rc_as \"$rc_as_uid\" \"$p\" {Sh.Quote(Change(desired, observed, change))}\n";
    }

    /// <summary>The change itself, on <c>$p</c> (the resolved path), run by <c>rc_as</c> under <c>set -e</c>.</summary>
    private static string Change(FileResource desired, FileFacts observed, ResourceChange change)
    {
        var script = new StringBuilder();
        if (change.Action == ChangeAction.Delete)
        {
            // Directories are removed only when empty: deleting a tree is never a side effect of a typo.
            script.AppendLine("rc_unlock \"$p\"; rc_relock_none");
            script.AppendLine(observed.Type == "directory" ? "rmdir -- \"$p\"" : "rm -f -- \"$p\"");
            return script.ToString();
        }

        // With follow: true the change goes to the link's target (rc_chain resolved it); otherwise a link found now was
        // planted since the plan and is refused. Every change after the write goes through the descriptor rc_open checked (fd 8).
        const string p = "\"$p\"";
        const string fd = "/proc/self/fd/8";
        var creating = change.Action == ChangeAction.Create;
        if (!desired.Follow || creating)
        {
            script.AppendLine($"if [ -L {p} ]; then echo \"$p is a symbolic link (to $(readlink -- {p} | head -c 1024 | tr -d '\\n')) since the plan; not followed, nothing changed\" >&2; exit 1; fi");
        }

        if (!creating)
        {
            script.AppendLine($"rc_unlock {p}");
        }

        if (desired.Type == FileType.Directory)
        {
            if (creating)
            {
                script.AppendLine($"mkdir -p -- {p}");
            }
        }
        else if (creating || change.Attributes.Any(a => a.Name == FileAttributeNames.Content))
        {
            script.AppendLine($"rc_write {p} {Sh.Quote(Sh.Base64(desired.Content ?? ""))}");
        }

        script.AppendLine($"rc_open 8 {p}");
        var changed = change.Attributes.Select(a => a.Name).ToHashSet();
        var chowning = changed.Contains(FileAttributeNames.Owner) || changed.Contains(FileAttributeNames.Group);
        if (chowning && desired.Mode is null && !creating)
        {
            script.AppendLine($"rc_mode=$(stat -L -c %a -- {fd})");
        }

        if (desired.Owner is not null && changed.Contains(FileAttributeNames.Owner))
        {
            script.AppendLine($"chown -- {Sh.Quote(desired.Owner)} {fd}");
        }

        if (desired.Group is not null && changed.Contains(FileAttributeNames.Group))
        {
            script.AppendLine($"chgrp -- {Sh.Quote(desired.Group)} {fd}");
        }

        // chmod after chown: chown clears set-uid/set-gid bits, so the declared mode must be set last.
        var mode = desired.Mode ?? (creating ? (desired.Type == FileType.Directory ? "0755" : "0644") : null);
        if (mode is not null && (creating || changed.Contains(FileAttributeNames.Mode) || chowning))
        {
            script.AppendLine($"chmod {Sh.Quote(FileResource.NormalizeMode(mode))} -- {fd}");
        }
        else if (chowning && !creating)
        {
            script.AppendLine($"chmod \"$rc_mode\" -- {fd}");
        }

        if (desired.Attributes is not null)
        {
            var want = ManagedFlags(desired.Attributes);
            var clear = new string(FileResource.ManagedAttributes.Where(f => f != 'i' && !want.Contains(f)).ToArray());
            var set = new string(want.Where(f => f != 'i').ToArray());
            script.AppendLine("rc_relock_none");
            if (clear.Length > 0 && !creating)
            {
                script.AppendLine($"chattr -{clear} -- {p}");
            }

            if (set.Length > 0)
            {
                script.AppendLine($"chattr +{set} -- {p}");
            }

            // Immutable goes on last: nothing else can change the file once it is set.
            if (want.Contains('i'))
            {
                script.AppendLine($"chattr +i -- {p}");
            }
        }

        return script.ToString();
    }

    private static List<AttributeChange> CreatedAttributes(FileResource desired, string type)
    {
        var changes = new List<AttributeChange> { AttributeChange.Of(FileAttributeNames.Type, null, type) };
        if (desired.Type == FileType.File)
        {
            changes.Add(AttributeChange.Of(FileAttributeNames.Content, null, desired.Content ?? "").SecretIf(desired.Sensitive));
        }

        if (desired.Owner is not null) changes.Add(AttributeChange.Of(FileAttributeNames.Owner, null, desired.Owner));
        if (desired.Group is not null) changes.Add(AttributeChange.Of(FileAttributeNames.Group, null, desired.Group));
        if (desired.Mode is not null) changes.Add(AttributeChange.Of(FileAttributeNames.Mode, null, FileResource.NormalizeMode(desired.Mode)));
        if (desired.Attributes is not null) changes.Add(AttributeChange.Of(FileAttributeNames.Attributes, null, Show(ManagedFlags(desired.Attributes))));
        return changes;
    }

    internal static bool SameAccount(string desired, string? name, string? id) =>
        desired.All(char.IsAsciiDigit) ? desired == id : desired == name;

    private static string ManagedFlags(string flags) =>
        new(FileResource.ManagedAttributes.Where(flags.Contains).ToArray());

    private static string Show(string flags) => flags.Length == 0 ? "(none)" : "+" + flags;
}
