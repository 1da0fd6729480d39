using Reconciler.Core.Plans;

namespace Reconciler.Cli.Views;

/// <summary>
/// How every view shows one attribute change: values one line each, multi-line text as a diff, secrets never. Values come
/// from hosts and specs, so each line is made inert here for every medium at once: controls shown visibly and no line
/// starting with a workflow command (<see cref="TerminalText.Line"/>); Markdown and HTML views add their own escaping.
/// What a value is comes from its type (<see cref="PlanValue"/>), never from its text.
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

        if (change.Before is PlanValue.Withheld withheld)
        {
            // The host did not send the live text (a local user could not read it): say so, and show what will be written.
            return change.After is PlanValue.Text { Value: var declared } && IsText(change.After)
                ? [$"{change.Name}: {withheld.Shown} → {declared.Length} characters, {declared.Count(c => c == '\n')} line(s):",
                    .. TextDiff.Unified("", declared).Select(l => "  " + l)]
                : [$"{change.Name}: {withheld.Shown} → {Show(change.After)}"];
        }

        if (IsText(change.Before) || IsText(change.After))
        {
            var diff = TextDiff.Unified(Plain(change.Before) ?? "", Plain(change.After) ?? "");
            return diff.Any(l => l[0] is '+' or '-')
                ? [$"{change.Name}:", .. diff.Select(l => "  " + l)]
                : [$"{change.Name}: only the final newline differs"];
        }

        return [$"{change.Name}: {Show(change.Before)} → {Show(change.After)}"];
    }

    /// <summary>One value on one line: "(unset)" when absent, "\"\"" when empty.</summary>
    public static string Show(PlanValue value) => Plain(value) switch
    {
        null => Unset,
        "" => "\"\"",
        var text => text,
    };

    /// <summary>What a value reads as, or null when it has none; a secret reads only as being one.</summary>
    private static string? Plain(PlanValue value) => value switch
    {
        PlanValue.Text text => text.Value,
        PlanValue.Withheld withheld => withheld.Shown,
        PlanValue.Deleted => PlanValue.Deleted.Shown,
        PlanValue.Sensitive => PlanValue.SensitiveText,
        _ => null,
    };

    /// <summary>Text with a line break is file text and is shown as a diff, never as a raw multi-line value.</summary>
    private static bool IsText(PlanValue value) => value is PlanValue.Text text && text.Value.Contains('\n');
}
