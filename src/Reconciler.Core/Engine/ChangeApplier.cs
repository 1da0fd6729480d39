using System.Text;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Engine;

/// <summary>
/// Applies a host's changes in one remote command. Each change runs in its own subshell under <c>set -e</c>, so one
/// failing resource stops at its first failing step, reports that step's message, and does not stop the others.
/// A kind's group (<see cref="IResourceProvider.Group"/>) runs whole where its first member would, or after the last change of
/// another kind one of its effects follows: its members' steps in order, each in that member's section, then each effect once.
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
        var groups = Grouped(planned, changes);
        for (var i = 0; i < changes.Count; i++)
        {
            if (!groups.Member.ContainsKey(i))
            {
                var p = changes[i];
                AppendStep(script, sections, i.ToString(), p.Provider.ApplyScript(p.Resource, p.Observed!, p.Change));
                script.AppendLine("if [ \"$rc_change\" -eq 0 ]; then rc_ok=$((rc_ok + 1)); else rc_failed=1; rc_bad=$((rc_bad + 1)); fi");
                if (groups.Gating.Contains(i))
                {
                    // Another kind's effect follows this change: it tests this status before it runs.
                    script.AppendLine($"rc_g{i}=$rc_change");
                }
            }

            // A group runs whole where its first member would have run, or after the last other-kind change it follows.
            foreach (var g in groups.RunAt[i])
            {
                AppendGroup(script, sections, g, groups.All[g], groups.Index);
            }
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
            if (ok && groups.Member.TryGetValue(i, out var g))
            {
                error = AfterProblem(g, groups.All[g], p, groups.Index, output, result);
                ok = error is null;
            }

            return new ResourceOutcome(p.Resource.Address, p.Change.Action, ok, error);
        }).ToList();
    }

    /// <summary>What commit-confirm must save for the changes: each guarded kind's state once, however many of its resources change.</summary>
    public static IReadOnlyList<GuardedState> GuardedStates(IEnumerable<PlannedResource> planned) =>
        planned.Where(p => p.Change.Action.ChangesHost()).Select(p => p.Guard).OfType<GuardedState>().Distinct().ToList();

    /// <summary>One change (or one group step) in its own section: its own subshell under set -e, its status in <c>$rc_change</c>.</summary>
    private static void AppendStep(StringBuilder script, ScriptSections sections, string section, string apply)
    {
        script.AppendLine(sections.Begin(section));
        script.AppendLine("( trap rc_relock EXIT; set -e");
        script.AppendLine(apply);
        script.AppendLine(") 2>&1");
        script.AppendLine("rc_change=$?");
        script.AppendLine(sections.End(section, "$rc_change"));
    }

    /// <summary>
    /// A group's steps in order, each in its member's section; then each effect with a script, once, only when every member
    /// it follows succeeded (a failed or skipped effect fails them); then each member is counted.
    /// </summary>
    private static void AppendGroup(StringBuilder script, ScriptSections sections, int g, ChangeGroup group, IReadOnlyDictionary<Resource, int> index)
    {
        foreach (var step in group.Steps)
        {
            var i = index[step.Member];
            AppendStep(script, sections, i.ToString(), step.Script);
            script.AppendLine($"rc_g{i}=$rc_change");
        }

        for (var e = 0; e < group.After.Count; e++)
        {
            if (group.After[e].Script is not { } after)
            {
                continue;
            }

            var follows = group.Followed(group.After[e]).Select(m => $"rc_g{index[m]}").ToList();
            script.AppendLine($"if {string.Join(" && ", follows.Select(v => $"[ \"${v}\" -eq 0 ]"))}; then");
            AppendStep(script, sections, AfterSection(g, e), after);
            script.AppendLine("else rc_change=1; fi");
            var members = group.Followed(group.After[e]).Where(m => group.Steps.Any(s => s.Member == m)).Select(m => $"rc_g{index[m]}");
            script.AppendLine($"[ \"$rc_change\" -eq 0 ] || {{ {string.Join(" ", members.Select(v => $"{v}=1;"))} }}");
        }

        foreach (var step in group.Steps)
        {
            script.AppendLine($"if [ \"$rc_g{index[step.Member]}\" -eq 0 ]; then rc_ok=$((rc_ok + 1)); else rc_failed=1; rc_bad=$((rc_bad + 1)); fi");
        }
    }

    /// <summary>Why a member whose own step succeeded still failed: an effect it is followed by failed or did not run; null when none.</summary>
    private static string? AfterProblem(
        int g, ChangeGroup group, PlannedResource member, IReadOnlyDictionary<Resource, int> index,
        Dictionary<string, (List<string> Lines, int ExitCode)> output, ScriptResult result)
    {
        for (var e = 0; e < group.After.Count; e++)
        {
            var effect = group.After[e];
            if (effect.Script is null || !group.Followed(effect).Any(m => index[m] == index[member.Resource]))
            {
                continue;
            }

            if (output.TryGetValue(AfterSection(g, e), out var s))
            {
                if (s.ExitCode != 0)
                {
                    return $"applied, but the {effect.Action} of {effect.Target} failed: {Describe(s.Lines, null)}";
                }

                continue;
            }

            var failed = group.Followed(effect).Where(m => !output.TryGetValue(index[m].ToString(), out var step) || step.ExitCode != 0).ToList();
            return failed.Count == 0
                ? Describe(null, result)
                : $"applied, but the {effect.Action} of {effect.Target} did not run: {string.Join(", ", failed.Select(m => m.Address))} failed";
        }

        return null;
    }

    private static string AfterSection(int g, int e) => $"after {g}.{e}";

    /// <summary>
    /// The host's groups: each change's index, which group (by position) each member belongs to, the changes of other
    /// kinds an effect follows (their status is kept for it), and the groups that run after each change.
    /// </summary>
    private static (IReadOnlyList<ChangeGroup> All, IReadOnlyDictionary<int, int> Member, IReadOnlyDictionary<Resource, int> Index,
        IReadOnlySet<int> Gating, ILookup<int, int> RunAt) Grouped(IReadOnlyList<PlannedResource> planned, IReadOnlyList<PlannedResource> changes)
    {
        var index = new Dictionary<Resource, int>();
        for (var i = 0; i < changes.Count; i++)
        {
            index.TryAdd(changes[i].Resource, i);
        }

        int At(Resource r, string problem) => index.TryGetValue(r, out var i) ? i : throw new InvalidOperationException(problem);

        var all = ChangeGroups.Of(planned);
        var member = new Dictionary<int, int>();
        var gating = new HashSet<int>();
        var runAt = new List<(int At, bool Foreign, int Group)>();
        for (var g = 0; g < all.Count; g++)
        {
            var own = all[g].Steps.Select(s => At(s.Member, $"the group of {s.Member.Address} names a resource that does not change")).ToList();
            foreach (var i in own)
            {
                member[i] = g;
            }

            var at = own.Count == 0 ? 0 : own.Min();
            var foreign = all[g].After.Where(e => e.Script is not null)
                .SelectMany(all[g].Followed).Select(r => At(r, $"an effect follows {r.Address}, which does not change")).Where(i => !own.Contains(i)).ToList();
            gating.UnionWith(foreign);
            runAt.Add((foreign.Count == 0 ? at : Math.Max(at, foreign.Max()), foreign.Count > 0, g));
        }

        // Non-members followed by an effect that are members of another group have their status from that group.
        gating.ExceptWith(member.Keys);
        // At one place, a group that follows other kinds runs after those that do not.
        var order = runAt.OrderBy(r => r.Foreign).ThenBy(r => r.Group).ToLookup(r => r.At, r => r.Group);
        return (all, member, index, gating, order);
    }

    private static string Describe(List<string>? lines, ScriptResult? whole)
    {
        var text = lines is null
            ? $"did not run (script ended with exit code {whole!.ExitCode}: {whole.Stderr.Trim()})"
            : string.Join(" ", lines.Select(l => l.Trim()).Where(l => l.Length > 0));
        return text.Length == 0 ? "failed without a message" : text;
    }
}
