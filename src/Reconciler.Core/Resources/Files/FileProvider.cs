using Reconciler.Core.Model;
using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Files;

public sealed class FileProvider : ResourceProvider<FileResource, FileObserved>
{
    /// <summary>Larger files are compared by digest only; their old text is not shown in the plan.</summary>
    public const int MaxContentShown = 64 * 1024;

    public override string Kind => FileResource.KindName;

    protected override string ReadScript(IReadOnlyList<FileResource> resources)
    {
        var script = new StringBuilder();
        for (var i = 0; i < resources.Count; i++)
        {
            var r = resources[i];
            var p = Sh.Quote(r.Path);
            script.AppendLine($"if [ -e {p} ]; then");
            script.AppendLine($"  stat -L --printf='S\\t{i}\\t%F\\t%U\\t%u\\t%G\\t%g\\t%a\\n' -- {p}");
            // Links are followed like chmod and chown follow them; lsattr refuses links, so it reads the target.
            script.AppendLine($"  printf 'A\\t{i}\\t%s\\n' \"$(lsattr -d -- \"$(readlink -f -- {p})\" 2>/dev/null | cut -d' ' -f1)\"");
            if (r.Content is not null)
            {
                script.AppendLine($"  if [ -f {p} ]; then printf 'H\\t{i}\\t%s\\n' \"$(sha256sum < {p} | cut -d' ' -f1)\";");
                script.AppendLine($"    if [ \"$(stat -L -c %s -- {p})\" -le {MaxContentShown} ]; then printf 'C\\t{i}\\t%s\\n' \"$(base64 -w0 < {p})\"; fi; fi");
            }

            script.AppendLine($"else printf 'N\\t{i}\\n'; fi");
        }

        return script.ToString();
    }

    protected override IReadOnlyList<FileObserved> ParseFacts(IReadOnlyList<FileResource> resources, IReadOnlyList<string> lines)
    {
        var byIndex = ByIndex(lines);
        return resources.Select((_, i) =>
        {
            var facts = ByTag(byIndex[i], i);
            if (!facts.TryGetValue("S", out var s) || s.Length < 8)
            {
                return FileObserved.Missing;
            }

            var attrs = facts.TryGetValue("A", out var a) && a.Length > 2 && a[2].Length > 0 ? a[2].Replace("-", "") : null;
            var sha = facts.TryGetValue("H", out var h) && h.Length > 2 ? h[2] : null;
            var content = facts.TryGetValue("C", out var c) && c.Length > 2 ? DecodeText(c[2]) : null;
            return new FileObserved(true, TypeName(s[2]), s[3], s[4], s[5], s[6], FileResource.NormalizeMode(s[7]), attrs, sha, content);
        }).ToList();
    }

    protected override ResourceChange Diff(FileResource desired, FileObserved observed)
    {
        var wantType = desired.Type == FileType.Directory ? "directory" : "file";
        if (desired.Ensure == Ensure.Absent)
        {
            return observed.Exists
                ? new ResourceChange(desired.Address, ChangeAction.Delete, [new("type", observed.Type, null)], desired.Source)
                : ResourceChange.NoOp(desired);
        }

        if (!observed.Exists)
        {
            return desired.WhenMissing switch
            {
                WhenMissing.Skip => ResourceChange.Skipped(desired, "absent on this host (when_missing: skip)"),
                WhenMissing.Fail => ResourceChange.Blocked(desired, "absent on this host; declare content, or when_missing: create or skip"),
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

        var changes = new List<AttributeChange>();
        if (desired.Content is not null && observed.Sha256 != Sha256Text.Hex(desired.Content))
        {
            changes.Add(new AttributeChange("content", observed.Content ?? (observed.Sha256 is null ? null : $"sha256:{observed.Sha256}"), desired.Content, desired.Sensitive));
        }

        if (desired.Owner is not null && !SameAccount(desired.Owner, observed.Owner, observed.OwnerId))
        {
            changes.Add(new AttributeChange("owner", observed.Owner, desired.Owner));
        }

        if (desired.Group is not null && !SameAccount(desired.Group, observed.Group, observed.GroupId))
        {
            changes.Add(new AttributeChange("group", observed.Group, desired.Group));
        }

        if (desired.Mode is not null && FileResource.NormalizeMode(desired.Mode) != observed.Mode)
        {
            changes.Add(new AttributeChange("mode", observed.Mode, FileResource.NormalizeMode(desired.Mode)));
        }

        if (desired.Attributes is not null && ManagedFlags(desired.Attributes) != ManagedFlags(observed.Attributes!))
        {
            changes.Add(new AttributeChange("attributes", Show(ManagedFlags(observed.Attributes!)), Show(ManagedFlags(desired.Attributes))));
        }

        return changes.Count == 0
            ? ResourceChange.NoOp(desired)
            : new ResourceChange(desired.Address, ChangeAction.Update, changes, desired.Source);
    }

    protected override string ApplyScript(FileResource desired, FileObserved observed, ResourceChange change)
    {
        var script = new StringBuilder();
        if (change.Action == ChangeAction.Delete)
        {
            // Directories are removed only when empty: deleting a tree is never a side effect of a typo.
            script.AppendLine($"p={Sh.Quote(desired.Path)}");
            script.AppendLine("rc_unlock \"$p\"; RC_RELOCK=");
            script.AppendLine(observed.Type == "directory" ? "rmdir -- \"$p\"" : "rm -f -- \"$p\"");
            return script.ToString();
        }

        // Work on the link's target, as chmod and chown do: a write must not replace a link with a file.
        const string p = "\"$p\"";
        var creating = change.Action == ChangeAction.Create;
        script.AppendLine($"p={Sh.Quote(desired.Path)}");
        if (!creating)
        {
            script.AppendLine("p=$(readlink -f -- \"$p\")");
            script.AppendLine($"rc_unlock {p}");
        }

        if (desired.Type == FileType.Directory)
        {
            if (creating)
            {
                script.AppendLine($"mkdir -p -- {p}");
            }
        }
        else if (creating || change.Attributes.Any(a => a.Name == "content"))
        {
            script.AppendLine($"rc_write {p} {Sh.Quote(Sh.Base64(desired.Content ?? ""))}");
        }

        var changed = change.Attributes.Select(a => a.Name).ToHashSet();
        var chowning = changed.Contains("owner") || changed.Contains("group");
        if (chowning && desired.Mode is null && !creating)
        {
            script.AppendLine($"rc_mode=$(stat -c %a -- {p})");
        }

        if (desired.Owner is not null && changed.Contains("owner"))
        {
            script.AppendLine($"chown -- {Sh.Quote(desired.Owner)} {p}");
        }

        if (desired.Group is not null && changed.Contains("group"))
        {
            script.AppendLine($"chgrp -- {Sh.Quote(desired.Group)} {p}");
        }

        // chmod after chown: chown clears set-uid/set-gid bits, so the declared mode must be set last.
        var mode = desired.Mode ?? (creating ? (desired.Type == FileType.Directory ? "0755" : "0644") : null);
        if (mode is not null && (creating || changed.Contains("mode") || chowning))
        {
            script.AppendLine($"chmod {FileResource.NormalizeMode(mode)} -- {p}");
        }
        else if (chowning && !creating)
        {
            script.AppendLine($"chmod \"$rc_mode\" -- {p}");
        }

        if (desired.Attributes is not null)
        {
            var want = ManagedFlags(desired.Attributes);
            var clear = new string(FileResource.ManagedAttributes.Where(f => f != 'i' && !want.Contains(f)).ToArray());
            var set = new string(want.Where(f => f != 'i').ToArray());
            script.AppendLine("RC_RELOCK=");
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
        var changes = new List<AttributeChange> { new("type", null, type) };
        if (desired.Type == FileType.File)
        {
            changes.Add(new AttributeChange("content", null, desired.Content ?? "", desired.Sensitive));
        }

        if (desired.Owner is not null) changes.Add(new AttributeChange("owner", null, desired.Owner));
        if (desired.Group is not null) changes.Add(new AttributeChange("group", null, desired.Group));
        if (desired.Mode is not null) changes.Add(new AttributeChange("mode", null, FileResource.NormalizeMode(desired.Mode)));
        if (desired.Attributes is not null) changes.Add(new AttributeChange("attributes", null, Show(ManagedFlags(desired.Attributes))));
        return changes;
    }

    internal static bool SameAccount(string desired, string? name, string? id) =>
        desired.All(char.IsAsciiDigit) ? desired == id : desired == name;

    private static string ManagedFlags(string flags) =>
        new(FileResource.ManagedAttributes.Where(flags.Contains).ToArray());

    private static string Show(string flags) => flags.Length == 0 ? "(none)" : "+" + flags;

    private static string TypeName(string statType) => statType switch
    {
        "regular file" or "regular empty file" => "file",
        "directory" => "directory",
        _ => statType,
    };


    internal static string? DecodeText(string base64)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(Convert.FromBase64String(base64));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            return null; // binary content is compared by digest and not shown
        }
    }
}
