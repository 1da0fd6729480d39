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
            var status = h.Error is not null ? PlanCommentView.UnreadStatus(h) : h.NotContacted is not null ? "🔒 not contacted" : h.HasChanges ? "changes" : "in sync";
            md.AppendLine($"| {MarkdownText.Cell(h.Host)} | {h.Count(ChangeAction.Create)} | {h.Count(ChangeAction.Update)} | {h.Count(ChangeAction.Delete)} | {h.Count(ChangeAction.Skip)} | {h.Count(ChangeAction.Blocked)} | {status} |");
        }

        md.AppendLine().AppendLine(PlanSummary.Line(plan)).AppendLine();
        foreach (var h in plan.Hosts)
        {
            if (h.Error is not null)
            {
                md.AppendLine($"### {MarkdownText.Code(h.Host)}").AppendLine().AppendLine($"Error: {MarkdownText.Code(h.Error)}").AppendLine();
                continue;
            }

            var shown = h.Changes.Where(c => c.Action != ChangeAction.NoOp).ToList();
            if (shown.Count == 0) continue;
            var lines = PlanDiffLines.Of(shown);
            var fence = MarkdownText.Fence(lines);
            md.AppendLine($"### {MarkdownText.Code(h.Host)}").AppendLine();
            if (h.NotContacted is { } why)
            {
                md.AppendLine($"Not contacted: {MarkdownText.Code(why)}").AppendLine();
            }

            md.AppendLine(fence + "diff");
            foreach (var line in lines)
            {
                md.AppendLine(line);
            }

            md.AppendLine(fence).AppendLine();
        }

        return md.ToString();
    }
}
