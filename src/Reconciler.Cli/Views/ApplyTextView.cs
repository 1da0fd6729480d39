using System.Text;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Views;

/// <summary>
/// What apply did, per host: each change with ✓/✗ and its attribute lines as plan shows them, then whether a fresh read
/// shows the host converged.
/// </summary>
internal static class ApplyTextView
{
    public static string Render(ApplyResult result, Styles styles)
    {
        var text = new StringBuilder();
        foreach (var host in result.Hosts)
        {
            if (host.Unknown is not null)
            {
                text.AppendLine($"{styles.Bold(TerminalText.Line(host.Host))}: {styles.Error("UNKNOWN")}: connection lost during apply: {TerminalText.Inline(host.Unknown)}");
                continue;
            }

            if (host.Error is not null && host.Outcomes.Count == 0)
            {
                text.AppendLine($"{styles.Bold(TerminalText.Line(host.Host))}: {styles.Error(Label(host.Outcome))}: {TerminalText.Inline(host.Error)}");
                continue;
            }

            text.AppendLine($"{styles.Bold(TerminalText.Line(host.Host))}:");
            foreach (var blocked in host.Planned.Changes.Where(c => c.Action is ChangeAction.Blocked or ChangeAction.Skip))
            {
                text.AppendLine(PlanTextView.Colour(blocked.Action, $"  {blocked.Action.Symbol()} {TerminalText.Inline(blocked.Address.ToString())}  {TerminalText.Inline(blocked.Note)}", styles));
            }

            foreach (var o in host.Outcomes)
            {
                text.AppendLine(o.Succeeded
                    ? styles.Create($"  ✓ {o.Action.Verb()} {TerminalText.Inline(o.Address.ToString())}")
                    : styles.Error($"  ✗ {o.Action.Verb()} {TerminalText.Inline(o.Address.ToString())}: {TerminalText.Inline(o.Error)}"));
                // What the change was, as plan showed it: the apply's log reads on its own, with no plan beside it.
                if (host.Planned.Changes.FirstOrDefault(c => c.Address == o.Address) is { } change)
                {
                    foreach (var line in PlanTextView.AttributeText(change, styles))
                    {
                        text.AppendLine(line);
                    }
                }
            }

            if (host.Guard is { } guard)
            {
                text.AppendLine(guard.Confirmed
                    ? styles.Dim($"  commit-confirm: {TerminalText.Inline(guard.Report)}")
                    : styles.Error($"  commit-confirm failed: {TerminalText.Inline(guard.Report)}"));
            }

            if (host.Error is not null)
            {
                text.AppendLine(styles.Error($"  {TerminalText.Inline(host.Error)}"));
            }
            else if (host.Outcomes.Count == 0)
            {
                text.AppendLine("  nothing to do");
            }
            else if (host.Verification is not null)
            {
                var left = host.Unconverged;
                var blocked = host.Verification.Changes.Where(c => c.Action == ChangeAction.Blocked).ToList();
                text.AppendLine(left.Count > 0
                    ? styles.Error($"  not converged: {TerminalText.Inline(string.Join(", ", left.Select(c => c.Address)))} {(left.Count == 1 ? "still differs" : "still differ")} after apply")
                    : blocked.Count > 0
                    ? styles.Error($"  after apply, a fresh read finds {TerminalText.Inline(string.Join(", ", blocked.Select(c => $"{c.Address} blocked: {c.Note}")))}")
                    : styles.Dim(host.Verification.HasChanges
                        ? "  verified: a fresh read shows each change applied; the next step of a stepwise resource is left for the next run"
                        : "  verified: a fresh read shows the host as declared"));
            }

            if (host.Planned.LastApply?.UnattendedNote is { } note)
            {
                text.AppendLine(styles.Dim($"  before this apply: {TerminalText.Inline(note)}"));
            }
        }

        text.AppendLine().AppendLine(styles.Bold(Summary(result)));
        return text.ToString();
    }

    /// <summary>
    /// Every host counted once by how it ended (<see cref="HostOutcome"/>), so the counts add up to the hosts in scope;
    /// then the changes. A host whose outcome is unknown is never counted as "0 changes applied": it may have applied them all.
    /// </summary>
    public static string Summary(ApplyResult result)
    {
        var byOutcome = Enum.GetValues<HostOutcome>()
            .Select(o => (Outcome: o, Count: result.Hosts.Count(h => h.Outcome == o)))
            .Where(o => o.Count > 0 || o.Outcome == HostOutcome.Succeeded)
            .Select(o => $"{o.Count} {Label(o.Outcome)}");
        var changes = $"{result.Hosts.Sum(h => h.Outcomes.Count(o => o.Succeeded))} change(s) applied, " +
                      $"{result.Hosts.Sum(h => h.Outcomes.Count(o => !o.Succeeded))} failed";
        var unknown = result.Hosts.Count(h => h.Outcome == HostOutcome.Unknown);
        var tail = unknown == 0
            ? changes
            : "the UNKNOWN host(s) lost their connection during apply and the next plan shows what each recorded" +
              (unknown == result.Hosts.Count ? "" : $"; on the other hosts {changes}");
        return $"Apply: {result.Hosts.Count} host(s): {string.Join(", ", byOutcome)}; {tail}.";
    }

    private static string Label(HostOutcome outcome) => outcome switch
    {
        HostOutcome.Unknown => "UNKNOWN",
        HostOutcome.HostKeyMismatch => "host key mismatch",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}
