namespace Reconciler.Core.Resources.Files;

/// <summary>
/// What to do when a declared path does not exist on the host. Hardening lists written for one distribution
/// name files another lacks; the spec says so explicitly instead of the tool skipping them silently.
/// </summary>
public enum WhenMissing
{
    /// <summary>Create it (the default when content is declared, or for directories).</summary>
    Create,

    /// <summary>Leave it absent; the plan still lists the resource as skipped.</summary>
    Skip,

    /// <summary>Report an error for this resource (the default for a file without content).</summary>
    Fail,
}
