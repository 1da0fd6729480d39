using System.Text;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Engine;

/// <summary>
/// Applies a host's changes in one remote command. Each change runs in its own subshell under <c>set -e</c>, so one
/// failing resource stops at its first failing step, reports that step's message, and does not stop the others.
/// </summary>
internal static class ChangeApplier
{
    private const string GuardSection = "guard";

    /// <param name="bookkeeping">The reconciler's own records around the changes: the state file, the lock's handover.</param>
    public static async Task<IReadOnlyList<ResourceOutcome>> ApplyAsync(
        IHostSession session, IReadOnlyList<PlannedResource> planned, Guard? guard, ApplyBookkeeping bookkeeping, CancellationToken ct)
    {
        var changes = planned.Where(p => p.Change.Action.ChangesHost()).ToList();
        if (changes.Count == 0)
        {
            return [];
        }

        var sections = ScriptSections.Create();
        var script = new StringBuilder("LC_ALL=C; export LC_ALL\numask 022\n");
        script.AppendLine(ShellLibrary.Source);
        script.AppendLine($"rc_failed=; rc_ok=0; rc_bad=0; rc_total={changes.Count}");
        if (guard is not null)
        {
            // Armed before the first change; if saving state or starting the timer fails, nothing is changed.
            script.AppendLine(sections.Begin(GuardSection));
            script.AppendLine("( set -e");
            script.AppendLine(guard.ArmScript(GuardedStates(planned).Concat(bookkeeping.AlsoGuarded)));
            script.AppendLine(") 2>&1");
            script.AppendLine("rc_guard=$?");
            script.AppendLine(sections.End(GuardSection, "$rc_guard"));
            script.AppendLine("[ \"$rc_guard\" -eq 0 ] || exit 97");
        }
        for (var i = 0; i < changes.Count; i++)
        {
            var p = changes[i];
            script.AppendLine(sections.Begin(i.ToString()));
            script.AppendLine("( trap rc_relock EXIT; set -e");
            script.AppendLine(p.Provider.ApplyScript(p.Resource, p.Observed!, p.Change));
            script.AppendLine(") 2>&1");
            script.AppendLine("rc_change=$?");
            script.AppendLine(sections.End(i.ToString(), "$rc_change"));
            script.AppendLine("if [ \"$rc_change\" -eq 0 ]; then rc_ok=$((rc_ok + 1)); else rc_failed=1; rc_bad=$((rc_bad + 1)); fi");
        }

        if (bookkeeping.AfterSuccess is not null)
        {
            script.AppendLine("if [ -z \"${rc_failed:-}\" ]; then (").AppendLine(bookkeeping.AfterSuccess).AppendLine(") >/dev/null 2>&1; fi");
        }

        if (bookkeeping.Outcome is not null)
        {
            script.AppendLine("(").AppendLine(bookkeeping.Outcome).AppendLine(") >/dev/null 2>&1");
        }

        // Runs whole or not at all, and detached from this connection, to its end (see ScriptEnvelope).
        var result = await session.RunScriptAsync(
            ScriptEnvelope.Wrap(script.ToString(), bookkeeping.RunRoot, bookkeeping.Handover, bookkeeping.HandoverDelay), ct);
        var output = sections.Parse(result.Stdout);
        if (guard is not null && (!output.TryGetValue(GuardSection, out var armed) || armed.ExitCode != 0))
        {
            var why = armed.Lines is null ? result.Stderr.Trim() : string.Join(" ", armed.Lines).Trim();
            return changes.Select(p => new ResourceOutcome(p.Resource.Address, p.Change.Action, false,
                $"not applied: commit-confirm could not be armed ({why}); nothing was changed") { GuardNotArmed = true }).ToList();
        }
        return changes.Select((p, i) =>
        {
            var ok = output.TryGetValue(i.ToString(), out var s) && s.ExitCode == 0;
            var error = ok ? null : Describe(s.Lines, s.Lines is null ? result : null);
            return new ResourceOutcome(p.Resource.Address, p.Change.Action, ok, error);
        }).ToList();
    }

    /// <summary>What commit-confirm must save for the changes: each guarded kind's state once, however many of its resources change.</summary>
    public static IReadOnlyList<GuardedState> GuardedStates(IEnumerable<PlannedResource> planned) =>
        planned.Where(p => p.Change.Action.ChangesHost()).Select(p => p.Guard).OfType<GuardedState>().Distinct().ToList();

    private static string Describe(List<string>? lines, ScriptResult? whole)
    {
        var text = lines is null
            ? $"did not run (script ended with exit code {whole!.ExitCode}: {whole.Stderr.Trim()})"
            : string.Join(" ", lines.Select(l => l.Trim()).Where(l => l.Length > 0));
        return text.Length == 0 ? "failed without a message" : text;
    }
}
