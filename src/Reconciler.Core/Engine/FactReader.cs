using System.Text;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Engine;

/// <summary>
/// Reads every fact a host's plan needs in one remote command: each provider contributes one fragment for all
/// of its resources, the fragments are joined into one script, and the answer is split back per provider.
/// </summary>
internal static class FactReader
{
    public static async Task<IReadOnlyList<PlannedResource>> ReadAndDiffAsync(
        IHostSession session, HostDesiredState host, ProviderRegistry providers, CancellationToken ct)
    {
        var sections = ScriptSections.Create();
        var groups = host.Resources.GroupBy(providers.For).ToList();
        var script = new StringBuilder("LC_ALL=C; export LC_ALL\n");
        foreach (var group in groups)
        {
            script.AppendLine(sections.Begin(group.Key.Kind));
            script.AppendLine("(");
            script.AppendLine(group.Key.ReadScript(group.ToList()));
            script.AppendLine(")");
            script.AppendLine(sections.End(group.Key.Kind));
        }

        var result = await session.RunScriptAsync(script.ToString(), ct);
        var output = sections.Parse(result.Stdout);
        var observed = new Dictionary<Resource, object>(ReferenceEqualityComparer.Instance);
        foreach (var group in groups)
        {
            if (!output.TryGetValue(group.Key.Kind, out var section) || section.ExitCode != 0)
            {
                var why = FirstLine(result.Stderr) ?? $"exit code {(section.Lines is null ? result.ExitCode : section.ExitCode)}";
                throw new TransportException($"reading {group.Key.Kind} facts failed: {why}");
            }

            var facts = group.Key.ParseFacts(group.ToList(), section.Lines);
            foreach (var (resource, fact) in group.Zip(facts))
            {
                observed[resource] = fact;
            }
        }

        return host.Resources.Select(r =>
        {
            var provider = providers.For(r);
            return new PlannedResource(r, provider, observed[r], provider.Diff(r, observed[r]));
        }).ToList();
    }

    public static HostPlan ToHostPlan(string host, IEnumerable<PlannedResource> planned) =>
        new(host, planned.Select(p => p.Change).ToList());

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
