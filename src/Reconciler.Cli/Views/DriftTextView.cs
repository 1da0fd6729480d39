using System.Text;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Views;

/// <summary>
/// The drift report on the console: text, not Markdown tables. The same rows (<see cref="DriftRows"/>), findings
/// (<see cref="HostFindings"/>) and counts (<see cref="DriftCounts"/>) as drift.md, drift.html and drift.json.
/// </summary>
internal static class DriftTextView
{
    public static string Render(Plan plan, Styles styles)
    {
        var text = new StringBuilder();
        foreach (var h in plan.Hosts)
        {
            var status = DriftRows.Status(h);
            var shown = status switch
            {
                DriftRows.InSync => styles.Create(status),
                DriftRows.Unreachable or DriftRows.HostKeyMismatch => styles.Error(status),
                _ => styles.Update(status),
            };
            text.AppendLine($"{styles.Bold(TerminalText.Line(h.Host))}: {shown}{(h.Error is null ? "" : $": {TerminalText.Inline(h.Error)}")}");
            foreach (var r in DriftRows.Of(h))
            {
                text.AppendLine($"  ~ {TerminalText.Inline(r.Address)} {TerminalText.Inline(r.Attribute)}: declared {TerminalText.Inline(r.Declared)}, live {TerminalText.Inline(r.Live)}  {styles.Dim(TerminalText.Inline(r.Source))}");
                foreach (var line in r.Detail.Skip(1))
                {
                    text.AppendLine("      " + TerminalText.Line(line));
                }
            }

            foreach (var f in HostFindings.Breached(h))
            {
                text.AppendLine(styles.Error($"  ! health {TerminalText.Inline(f.Rule)} on {TerminalText.Inline(f.Subject)}: {TerminalText.Inline(f.Value)} (threshold {TerminalText.Inline(f.Threshold)})") +
                                $"  {styles.Dim(TerminalText.Inline(f.Source))}");
            }

            foreach (var e in HostFindings.Errors(h))
            {
                text.AppendLine(styles.Error($"  ! monitoring: {TerminalText.Inline(e)}"));
            }

            if (h.HeldLock is { } held)
            {
                text.AppendLine(styles.Update($"  lock: {TerminalText.Line(HeldLockText.Describe(h.Host, held, Core.Engine.ReconcileOptions.DefaultLockTtl))}"));
            }

            if (h.LastApply?.UnattendedNote is { } note)
            {
                text.AppendLine(styles.Dim($"  note: {TerminalText.Line(note)}"));
            }

            if (h.Applied is { } applied)
            {
                text.AppendLine(styles.Dim($"  {TerminalText.Line(applied.Describe(h.Host))}"));
            }
        }

        text.AppendLine().AppendLine(styles.Bold($"Drift: {plan.Hosts.Count} host(s): {DriftCounts.Of(plan).Sentence(HostFindings.Monitored(plan))}."));
        return text.ToString();
    }
}
