using System.Text;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Views;

/// <summary>Markdown for pull requests and step summaries: a summary table, then a diff block per host.</summary>
internal static class PlanMarkdownView
{
    public static string Render(Plan plan, string title = "Reconciler plan")
    {
        var md = new StringBuilder();
        md.AppendLine($"## {title}").AppendLine();
        md.AppendLine("| Host | Create | Update | Delete | Skipped | Blocked | Status |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        foreach (var h in plan.Hosts)
        {
            var status = h.Error is not null ? "⚠️ unreachable" : h.HasChanges ? "changes" : "in sync";
            md.AppendLine($"| `{h.Host}` | {h.Count(ChangeAction.Create)} | {h.Count(ChangeAction.Update)} | {h.Count(ChangeAction.Delete)} | {h.Count(ChangeAction.Skip)} | {h.Count(ChangeAction.Blocked)} | {status} |");
        }

        md.AppendLine().AppendLine(PlanSummary.Line(plan)).AppendLine();
        foreach (var h in plan.Hosts)
        {
            if (h.Error is not null)
            {
                md.AppendLine($"### `{h.Host}`").AppendLine().AppendLine($"Error: {Escape(h.Error)}").AppendLine();
                continue;
            }

            var shown = h.Changes.Where(c => c.Action != ChangeAction.NoOp).ToList();
            if (shown.Count == 0) continue;
            md.AppendLine($"### `{h.Host}`").AppendLine().AppendLine("```diff");
            foreach (var c in shown)
            {
                // In a diff block '+'/'-' lines are coloured; updates and notes use '!' and '#' which stay neutral.
                var marker = c.Action switch { ChangeAction.Create => "+", ChangeAction.Delete => "-", ChangeAction.Update => "!", _ => "#" };
                md.AppendLine($"{marker} {c.Action.Verb()} {c.Address}{(c.Note is null ? "" : $" — {c.Note}")}  ({c.Source})");
                foreach (var line in c.Attributes.SelectMany(AttributeLines.Describe))
                {
                    md.AppendLine($"    {line}");
                }
            }

            md.AppendLine("```").AppendLine();
        }

        return md.ToString();
    }

    private static string Escape(string s) => s.Replace("|", "\\|").Replace("<", "&lt;");
}
