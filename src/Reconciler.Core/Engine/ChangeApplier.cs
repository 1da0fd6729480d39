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
    public static async Task<IReadOnlyList<ResourceOutcome>> ApplyAsync(
        IHostSession session, IReadOnlyList<PlannedResource> planned, CancellationToken ct)
    {
        var changes = planned.Where(p => p.Change.Action.ChangesHost()).ToList();
        if (changes.Count == 0)
        {
            return [];
        }

        var sections = ScriptSections.Create();
        var script = new StringBuilder("LC_ALL=C; export LC_ALL\numask 022\n");
        script.AppendLine(ShellLibrary.Source);
        for (var i = 0; i < changes.Count; i++)
        {
            var p = changes[i];
            script.AppendLine(sections.Begin(i.ToString()));
            script.AppendLine("( trap rc_relock EXIT; set -e");
            script.AppendLine(p.Provider.ApplyScript(p.Resource, p.Observed!, p.Change));
            script.AppendLine(") 2>&1");
            script.AppendLine(sections.End(i.ToString()));
        }

        var result = await session.RunScriptAsync(script.ToString(), ct);
        var output = sections.Parse(result.Stdout);
        return changes.Select((p, i) =>
        {
            var ok = output.TryGetValue(i.ToString(), out var s) && s.ExitCode == 0;
            var error = ok ? null : Describe(s.Lines, s.Lines is null ? result : null);
            return new ResourceOutcome(p.Resource.Address, p.Change.Action, ok, error);
        }).ToList();
    }

    private static string Describe(List<string>? lines, ScriptResult? whole)
    {
        var text = lines is null
            ? $"did not run (script ended with exit code {whole!.ExitCode}: {whole.Stderr.Trim()})"
            : string.Join(" ", lines.Select(l => l.Trim()).Where(l => l.Length > 0));
        return text.Length == 0 ? "failed without a message" : text;
    }
}
