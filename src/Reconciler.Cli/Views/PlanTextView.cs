using System.Text;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Views;

/// <summary>The console plan: one block per host, one line per resource with its marker, then attribute changes.</summary>
internal static class PlanTextView
{
    public static string Render(Plan plan, Styles styles)
    {
        var text = new StringBuilder();
        foreach (var host in plan.Hosts)
        {
            if (host.Error is not null)
            {
                text.AppendLine($"{styles.Bold(TerminalText.Line(host.Host))}: {styles.Error("error")}: {TerminalText.Inline(host.Error)}");
                continue;
            }

            var shown = host.Changes.Where(c => c.Action != ChangeAction.NoOp).ToList();
            var inSync = host.Count(ChangeAction.NoOp);
            text.AppendLine(host.NotContacted is { } why
                ? $"{styles.Bold(TerminalText.Line(host.Host))}: {styles.Update("not contacted")}: {TerminalText.Inline(why)}"
                : host.HasChanges || host.HasErrors
                ? $"{styles.Bold(TerminalText.Line(host.Host))}:"
                : $"{styles.Bold(TerminalText.Line(host.Host))}: no changes ({inSync} resource(s) in sync{(shown.Count > 0 ? $", {shown.Count} skipped" : "")})");
            if (host.LastApply?.UnattendedNote is { } note)
            {
                text.AppendLine(styles.Dim($"  note: {TerminalText.Line(note)}"));
            }

            if (host.HeldLock is { } held)
            {
                var line = $"  lock: {TerminalText.Line(HeldLockText.Describe(host.Host, held, Core.Engine.ReconcileOptions.DefaultLockTtl))}";
                text.AppendLine(HeldLockText.WhyStale(held, Core.Engine.ReconcileOptions.DefaultLockTtl) is null ? styles.Update(line) : styles.Error(line));
            }

            // Skips repeat on every run (a hardening list names files many hosts lack): one line per reason. A skip that
            // says what it waits on attribute by attribute (a DKIM key not yet on every nameserver) is shown like a change.
            foreach (var skipped in shown.Where(c => c.Action == ChangeAction.Skip && c.Attributes.Count == 0).GroupBy(c => c.Note))
            {
                text.AppendLine(styles.Dim($"  · {skipped.Count()} skipped, {TerminalText.Inline(skipped.Key)}: {TerminalText.Inline(string.Join(", ", skipped.Select(c => c.Address.Name)))}"));
            }

            foreach (var change in shown.Where(c => c.Action != ChangeAction.Skip || c.Attributes.Count > 0))
            {
                var head = $"  {change.Action.Symbol()} {TerminalText.Inline(change.Address.ToString())}";
                var source = styles.Dim(TerminalText.Inline(change.Source.ToString()));
                text.Append(Colour(change.Action, head, styles));
                text.AppendLine(change.Note is null ? $"  {source}" : $"  {styles.Dim(TerminalText.Inline(change.Note))}  {source}");
                foreach (var line in AttributeText(change, styles))
                {
                    text.AppendLine(line);
                }
            }
        }

        text.AppendLine();
        text.AppendLine(styles.Bold(PlanSummary.Line(plan)));
        return text.ToString();
    }

    /// <summary>
    /// A change's attribute lines as the console shows them under the change, in plan and apply alike: diff lines coloured
    /// as git colours them (added green, removed red, hunk headers cyan); secrets only as changed (<see cref="AttributeLines"/>).
    /// </summary>
    internal static IEnumerable<string> AttributeText(ResourceChange change, Styles styles) =>
        change.Attributes.SelectMany(AttributeLines.Describe).Select(line => "      " + DiffColour(line, styles));

    /// <summary>A text diff's lines are the ones indented under their attribute's name; a one-line value never is.</summary>
    private static string DiffColour(string line, Styles styles) =>
        line.StartsWith("  @@", StringComparison.Ordinal) ? styles.Hunk(line)
        : line.StartsWith("  +", StringComparison.Ordinal) ? styles.Create(line)
        : line.StartsWith("  -", StringComparison.Ordinal) ? styles.Delete(line)
        : line;

    internal static string Colour(ChangeAction action, string text, Styles styles) => action switch
    {
        ChangeAction.Create => styles.Create(text),
        ChangeAction.Update => styles.Update(text),
        ChangeAction.Delete or ChangeAction.Blocked => styles.Delete(text),
        ChangeAction.Skip => styles.Dim(text),
        _ => text,
    };
}
