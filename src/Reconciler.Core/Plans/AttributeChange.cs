namespace Reconciler.Core.Plans;

/// <summary>One attribute's observed value and the value apply will set; null means absent/unset.</summary>
public sealed record AttributeChange(string Name, string? Before, string? After, bool Sensitive = false)
{
    public const string SensitiveText = "(sensitive value)";
}
