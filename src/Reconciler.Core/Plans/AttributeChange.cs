namespace Reconciler.Core.Plans;

/// <summary>One attribute's observed value and the value apply will set; null means absent/unset.</summary>
public sealed record AttributeChange(string Name, string? Before, string? After, bool Sensitive = false)
{
    public const string SensitiveText = "(sensitive value)";

    /// <summary>The after-value of a part the change deletes (a table row, say): views warn about it as about a delete.</summary>
    public const string DeletedText = "deleted";
}
