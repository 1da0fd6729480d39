using Reconciler.Cli.Views;
using Reconciler.Core.Engine;

namespace Reconciler.Cli.Features;

internal sealed class DriftFeature(SpecGate gate, Reconciliation engine, Terminal terminal, TimeProvider clock)
{
    public async Task<int> RunAsync(string specs, string? hosts, string reportDirectory, CancellationToken ct)
    {
        var state = gate.Load(specs)?.Filter(hosts);
        if (state is null) return ExitCodes.Error;

        var plan = await engine.PlanAsync(state, new ProgressView(terminal), ct);
        var now = clock.GetUtcNow();
        Directory.CreateDirectory(reportDirectory);
        var markdown = DriftMarkdownView.Render(plan, now);
        await File.WriteAllTextAsync(Path.Combine(reportDirectory, "drift.md"), markdown, ct);
        await File.WriteAllTextAsync(Path.Combine(reportDirectory, "drift.json"), PlanJsonView.Render(plan, now), ct);

        terminal.Out.Write(markdown);
        terminal.Out.WriteLine();
        terminal.Out.WriteLine($"Report written to {Path.Combine(reportDirectory, "drift.md")} and drift.json.");
        var drifted = plan.Hosts.Any(h => DriftMarkdownView.Differences(h).Any());
        return plan.Hosts.Any(h => h.Error is not null) ? ExitCodes.Error : drifted ? ExitCodes.Changes : ExitCodes.Ok;
    }
}
