using Reconciler.Core.Plans;

namespace Reconciler.Cli.Views;

/// <summary>How every view shows one attribute change: values one line each, multi-line text as a diff, secrets never.</summary>
internal static class AttributeLines
{
    public const string Unset = "(unset)";

    public static IReadOnlyList<string> Describe(AttributeChange change)
    {
        if (change.Sensitive)
        {
            return [$"{change.Name}: (sensitive value changed)"];
        }

        if (IsMultiLine(change.Before) || IsMultiLine(change.After))
        {
            var diff = TextDiff.Unified(change.Before ?? "", change.After ?? "");
            return [$"{change.Name}:", .. diff.Select(l => "  " + l)];
        }

        return [$"{change.Name}: {Show(change.Before)} → {Show(change.After)}"];
    }

    public static string Show(string? value) => value is null ? Unset : value.Length == 0 ? "\"\"" : value;

    private static bool IsMultiLine(string? value) => value is not null && value.TrimEnd('\n').Contains('\n');
}
