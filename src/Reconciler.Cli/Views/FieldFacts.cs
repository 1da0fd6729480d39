using Reconciler.Specs.Reference;

namespace Reconciler.Cli.Views;

/// <summary>The short facts of a field both reference views show, phrased once: its type, whether it is required, its default.</summary>
internal static class FieldFacts
{
    /// <summary><c>string, required</c>; <c>boolean, default true</c>; <c>string, sensitive: never shown</c>.</summary>
    public static string Summary(FieldReference field) =>
        string.Join(", ", new[]
        {
            field.Type,
            field.Required ? "required" : null,
            field.Default is { } value ? "default " + value : null,
            field.Sensitive ? "sensitive: never shown" : null,
        }.OfType<string>());

    /// <summary>Every field under <paramref name="field"/>, depth first, each with its name relative to <paramref name="field"/>.</summary>
    public static IEnumerable<(string Name, FieldReference Field)> Below(FieldReference field) =>
        field.Fields.SelectMany(child => Below(child).Select(d => (child.Name + "." + d.Name, d.Field)).Prepend((child.Name, child)));
}
