namespace Reconciler.Core.Plans;

/// <summary>One attribute's observed value and the value apply will set; null means absent/unset.</summary>
public sealed record AttributeChange(string Name, string? Before, string? After, bool Sensitive = false)
{
    public const string SensitiveText = "(sensitive value)";

    /// <summary>The after-value of a part the change deletes (a table row, say): views warn about it as about a delete.</summary>
    public const string DeletedText = "deleted";

    /// <summary>How a before-value the host did not disclose starts (see <see cref="Withheld"/>).</summary>
    public const string WithheldPrefix = "(not shown: ";

    /// <summary>
    /// The before-value of live content a local user of the host could not read: what is known (size, lines) and why
    /// the text is not shown. Views show it on one line instead of diffing it.
    /// </summary>
    public static string Withheld(string reason, string known) => $"{WithheldPrefix}{reason}; {known})";

    public static bool IsWithheld(string? value) =>
        value is not null && value.StartsWith(WithheldPrefix, StringComparison.Ordinal) && !value.Contains('\n');
}
