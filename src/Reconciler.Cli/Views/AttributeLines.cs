using Reconciler.Core.Plans;

namespace Reconciler.Cli.Views;

/// <summary>
/// How every view shows one attribute change: values one line each, multi-line text as a diff, secrets never. Values come
/// from hosts and specs, so each line is made inert here for every medium at once: controls shown visibly and no line
/// starting with a workflow command (<see cref="TerminalText.Line"/>); Markdown and HTML views add their own escaping.
/// </summary>
internal static class AttributeLines
{
    public const string Unset = "(unset)";

    public static IReadOnlyList<string> Describe(AttributeChange change) => Lines(change).Select(TerminalText.Line).ToList();

    private static IReadOnlyList<string> Lines(AttributeChange change)
    {
        if (change.Sensitive)
        {
            return [$"{change.Name}: (sensitive value changed)"];
        }

        if (AttributeChange.IsWithheld(change.Before))
        {
            // The host did not send the live text (a local user could not read it): say so, and show what will be written.
            var declared = change.After ?? "";
            var added = TextDiff.Unified("", declared);
            return IsText(change.After)
                ? [$"{change.Name}: {change.Before} → {declared.Length} characters, {declared.Count(c => c == '\n')} line(s):", .. added.Select(l => "  " + l)]
                : [$"{change.Name}: {change.Before} → {Show(change.After)}"];
        }

        if (IsText(change.Before) || IsText(change.After))
        {
            var diff = TextDiff.Unified(change.Before ?? "", change.After ?? "");
            return diff.Any(l => l[0] is '+' or '-')
                ? [$"{change.Name}:", .. diff.Select(l => "  " + l)]
                : [$"{change.Name}: only the final newline differs"];
        }

        return [$"{change.Name}: {Show(change.Before)} → {Show(change.After)}"];
    }

    public static string Show(string? value) => value is null ? Unset : value.Length == 0 ? "\"\"" : value;

    /// <summary>Anything with a line break is file text and is shown as a diff, never as a raw multi-line value.</summary>
    private static bool IsText(string? value) => value is not null && value.Contains('\n');
}
