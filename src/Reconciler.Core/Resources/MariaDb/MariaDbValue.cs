using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary>A declared row value; <paramref name="Text"/> null is SQL NULL (only for <see cref="MariaDbValueKind.Plain"/>).</summary>
public sealed record MariaDbValue(MariaDbValueKind Kind, string? Text)
{
    public static MariaDbValue Plain(string? text) => new(MariaDbValueKind.Plain, text);

    public static MariaDbValue Secret(string value) => new(MariaDbValueKind.Secret, value);

    public static MariaDbValue Ssha512(string value) => new(MariaDbValueKind.Ssha512, value);

    public bool Sensitive => Kind != MariaDbValueKind.Plain;

    /// <summary>Whether the live column value (null for SQL NULL) is what this value stores.</summary>
    public bool Matches(string? live) => Kind == MariaDbValueKind.Ssha512
        ? PasswordHashes.IsSsha512(live, Text!)
        : string.Equals(live, Text, StringComparison.Ordinal);

    /// <summary>What to write: the text, or a fresh salted hash (a new random salt on every write).</summary>
    public string? ToStore() => Kind == MariaDbValueKind.Ssha512 ? PasswordHashes.Ssha512(Text!) : Text;

    /// <summary>Never prints a secret, whoever formats the value.</summary>
    public override string ToString() => Sensitive ? PlanValue.SensitiveText : Text ?? "NULL";
}
