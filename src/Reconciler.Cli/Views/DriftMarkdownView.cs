using System.Text;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Views;

/// <summary>The drift report for people: per host in sync / drifted / unreachable, then every difference as declared vs live.</summary>
internal static class DriftMarkdownView
{
    public static string Render(Plan plan, DateTimeOffset generatedAt)
    {
        var md = new StringBuilder();
        md.AppendLine("# Drift report").AppendLine();
        md.AppendLine($"Read at {generatedAt:yyyy-MM-dd HH:mm:ss} UTC.").AppendLine();
        md.AppendLine("| Host | Status | Differences |");
        md.AppendLine("|---|---|---:|");
        foreach (var h in plan.Hosts)
        {
            md.AppendLine($"| {MarkdownText.Cell(h.Host)} | {DriftRows.Status(h)} | {h.Differences.Count()} |");
        }

        // Where each host stands against the repository, read from its state file ("3 commits behind").
        var applied = plan.Hosts.Where(h => h.Applied is not null).ToList();
        if (applied.Count > 0)
        {
            md.AppendLine();
            foreach (var h in applied) md.AppendLine($"- {MarkdownText.Code(h.Applied!.Describe(h.Host))}");
        }

        // An apply whose controller lost the connection reported "unknown"; the host's own record says how it ended.
        foreach (var h in plan.Hosts.Where(h => h.LastApply?.UnattendedNote is not null))
        {
            md.AppendLine().AppendLine($"- {MarkdownText.Code(h.Host)}: {h.LastApply!.UnattendedNote}");
        }

        foreach (var h in plan.Hosts.Where(h => h.Error is not null || h.Differences.Any()))
        {
            md.AppendLine().AppendLine($"## {MarkdownText.Code(h.Host)} — {DriftRows.Status(h)}").AppendLine();
            if (h.Error is not null)
            {
                md.AppendLine(MarkdownText.Code(h.Error));
                continue;
            }

            md.AppendLine("| Resource | Attribute | Declared | Live | Declared at |");
            md.AppendLine("|---|---|---|---|---|");
            foreach (var c in h.Differences)
            {
                if (c.Attributes.Count == 0)
                {
                    md.AppendLine($"| {MarkdownText.Cell(c.Address.ToString())} | — | {c.Action.Verb()} | {Cell(c.Note)} | {MarkdownText.Cell(c.Source.ToString())} |");
                }

                foreach (var a in c.Attributes)
                {
                    var (declared, live) = a.Sensitive ? ("(sensitive)", "(sensitive value differs)") : (Cell(a.After), Cell(a.Before));
                    md.AppendLine($"| {MarkdownText.Cell(c.Address.ToString())} | {MarkdownText.Cell(a.Name.Text)} | {declared} | {live} | {MarkdownText.Cell(c.Source.ToString())} |");
                }
            }
        }

        return md.ToString();
    }

    private static string Cell(PlanValue value) => Summarised(AttributeLines.Show(value));

    /// <summary>A change's note, shown as a plain value would be.</summary>
    private static string Cell(string? note) => Summarised(AttributeLines.Show(PlanValue.Of(note)));

    private static string Summarised(string shown)
    {
        if (shown.Contains('\n')) shown = $"{shown.TrimEnd('\n').Split('\n').Length} lines";
        return MarkdownText.Cell(shown);
    }
}
