namespace Reconciler.Core.Plans;

/// <summary>
/// One side of an attribute change, typed: views and the plan JSON switch on the case, never on the text, so a value
/// that happens to read "(not shown: …" or "deleted" is only ever text. The cases are closed (a private constructor).
/// </summary>
public abstract record PlanValue
{
    /// <summary>How a secret appears in any text made from a resource or a value (a ToString, say); never the secret.</summary>
    public const string SensitiveText = "(sensitive value)";

    private PlanValue()
    {
    }

    /// <summary>Text when there is some, <see cref="Absent"/> when null: the value of a plain attribute.</summary>
    public static PlanValue Of(string? text) => text is null ? new Absent() : new Text(text);

    /// <summary>A secret's side: <see cref="Sensitive"/> when it has a value, <see cref="Absent"/> when not.</summary>
    public static PlanValue Secret(bool present) => present ? new Sensitive() : new Absent();

    /// <summary>A value shown as it is (one line, or file text with line breaks).</summary>
    public sealed record Text(string Value) : PlanValue;

    /// <summary>
    /// Live content the host did not disclose (a local user could not read it, or policy withheld it): what is known
    /// (size, lines; "value differs") and why the text is not shown. Views show it on one line instead of diffing it.
    /// </summary>
    public sealed record Withheld(string Reason, string Known) : PlanValue
    {
        /// <summary>The one line every medium shows for it (and the plan JSON writes for readers of plain values).</summary>
        public string Shown => $"(not shown: {Reason}; {Known})";
    }

    /// <summary>A secret: it is never shown nor written anywhere, only that it changes.</summary>
    public sealed record Sensitive : PlanValue;

    /// <summary>No value: unset, or absent on the host.</summary>
    public sealed record Absent : PlanValue;

    /// <summary>The after-value of a part the change deletes (a table row, say): views warn about it as about a delete.</summary>
    public sealed record Deleted : PlanValue
    {
        /// <summary>The word every medium shows for it.</summary>
        public const string Shown = "deleted";
    }
}
