using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.Files;

/// <summary>The one diff of a whole file as declared against its <see cref="FileFacts"/>, for every kind that writes whole files (file, dovecot_file).</summary>
internal static class FileDiff
{
    /// <summary>Content (its before-value as the host let it be shown), owner, group and mode of a file that exists, each compared only when declared.</summary>
    public static List<AttributeChange> Changes(FileFacts observed, string? content, bool sensitive, string? owner, string? group, string? mode)
    {
        var changes = new List<AttributeChange>();
        if (content is not null && observed.Sha256 != Sha256Text.Hex(content))
        {
            changes.Add(new AttributeChange(FileAttributeNames.Content, observed.Live?.Shown ?? new PlanValue.Absent(), PlanValue.Of(content)).SecretIf(sensitive));
        }

        if (owner is not null && !FileProvider.SameAccount(owner, observed.Owner, observed.OwnerId))
        {
            changes.Add(AttributeChange.Of(FileAttributeNames.Owner, observed.Owner, owner));
        }

        if (group is not null && !FileProvider.SameAccount(group, observed.Group, observed.GroupId))
        {
            changes.Add(AttributeChange.Of(FileAttributeNames.Group, observed.Group, group));
        }

        if (mode is not null && FileModes.Normalize(mode) != observed.Mode)
        {
            changes.Add(AttributeChange.Of(FileAttributeNames.Mode, observed.Mode, FileModes.Normalize(mode)));
        }

        return changes;
    }
}
