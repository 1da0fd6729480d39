using System.Text;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Views;

/// <summary>
/// The drift report for people: per host in sync / drifted / needs attention / unreachable, then every difference as
/// declared vs live and, in a monitoring run, every breached health rule and unreadable monitored kind.
/// </summary>
internal static class DriftMarkdownView
{
    public static string Render(Plan plan, DateTimeOffset generatedAt)
    {
        var md = new StringBuilder();
        md.AppendLine("# Drift report").AppendLine();
        var monitored = HostFindings.Monitored(plan);
        md.AppendLine($"Read at {generatedAt:yyyy-MM-dd HH:mm:ss} UTC: {DriftCounts.Of(plan).Sentence(monitored)}.").AppendLine();
        md.AppendLine(monitored ? "| Host | Status | Differences | Breached rules |" : "| Host | Status | Differences |");
        md.AppendLine(monitored ? "|---|---|---:|---:|" : "|---|---|---:|");
        foreach (var h in plan.Hosts)
        {
            md.AppendLine($"| {MarkdownText.Cell(h.Host)} | {DriftRows.Status(h)} | {h.Differences.Count()} |" + (monitored ? $" {HostFindings.Breached(h).Count} |" : ""));
        }

        var notes = DriftNotes.Of(plan);
        if (notes.Count > 0)
        {
            md.AppendLine();
            foreach (var note in notes) md.AppendLine($"- {MarkdownText.Code(note)}");
        }

        foreach (var h in plan.Hosts.Where(HostFindings.HasSection))
        {
            md.AppendLine().AppendLine($"## {MarkdownText.Code(h.Host)} — {DriftRows.Status(h)}").AppendLine();
            if (h.Error is not null)
            {
                md.AppendLine(MarkdownText.Code(h.Error));
                continue;
            }

            AppendDifferences(md, h);
            AppendFindings(md, h, afterTable: h.Differences.Any());
        }

        return md.ToString();
    }

    /// <summary>Breached rules with value and threshold, then one line per monitored kind that could not be read.</summary>
    private static void AppendFindings(StringBuilder md, HostPlan h, bool afterTable)
    {
        var breached = HostFindings.Breached(h);
        if (breached.Count > 0)
        {
            if (afterTable) md.AppendLine();
            md.AppendLine("Health rules breached:").AppendLine();
            md.AppendLine("| Rule | Subject | Value | Threshold | Declared at |");
            md.AppendLine("|---|---|---|---|---|");
            foreach (var f in breached)
            {
                md.AppendLine($"| {MarkdownText.Cell(f.Rule)} | {MarkdownText.Cell(f.Subject)} | {MarkdownText.Cell(f.Value)} | {MarkdownText.Cell(f.Threshold)} | {MarkdownText.Cell(f.Source)} |");
            }
        }

        var errors = HostFindings.Errors(h);
        if (errors.Count > 0)
        {
            if (afterTable || breached.Count > 0) md.AppendLine();
            md.AppendLine("Monitoring errors:").AppendLine();
            foreach (var e in errors) md.AppendLine($"- {MarkdownText.Code(e)}");
        }
    }

    private static void AppendDifferences(StringBuilder md, HostPlan h)
    {
        var rows = DriftRows.Of(h);
        if (rows.Count == 0) return;
        md.AppendLine("| Resource | Attribute | Declared | Live | Declared at |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var r in rows)
        {
            md.AppendLine($"| {MarkdownText.Cell(r.Address)} | {MarkdownText.Cell(r.Attribute)} | {MarkdownText.Cell(r.Declared)} | {MarkdownText.Cell(r.Live)} | {MarkdownText.Cell(r.Source)} |");
        }
    }
}
