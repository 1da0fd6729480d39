using Reconciler.Core.Plans;

namespace Reconciler.Cli.Views;

/// <summary>The diff code block of a host in the pull-request comment and the Markdown plan, shared so they never disagree.</summary>
internal static class PlanDiffLines
{
    /// <summary>A host's changes as the lines of a diff code block, every value already inert (<see cref="TerminalText"/>).</summary>
    public static List<string> Of(IEnumerable<ResourceChange> changes)
    {
        var lines = new List<string>();
        foreach (var c in changes)
        {
            // In a diff block '+'/'-' lines are coloured; updates and notes use '!' and '#' which stay neutral.
            var marker = c.Action switch { ChangeAction.Create => "+", ChangeAction.Delete => "-", ChangeAction.Update => "!", _ => "#" };
            lines.Add(TerminalText.Inline($"{marker} {c.Action.Verb()} {c.Address}{(c.Note is null ? "" : $" — {c.Note}")}  ({c.Source})"));
            lines.AddRange(c.Attributes.SelectMany(AttributeLines.Describe).Select(l => "    " + l));
        }

        return lines;
    }
}
