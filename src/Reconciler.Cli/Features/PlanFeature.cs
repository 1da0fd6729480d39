using Reconciler.Cli.Views;
using Reconciler.Core.Engine;

namespace Reconciler.Cli.Features;

internal sealed record PlanRequest(string Specs, string? Hosts, string Format, string? OutFile);

internal sealed class PlanFeature(SpecGate gate, Reconciliation engine, Terminal terminal, TimeProvider clock)
{
    public async Task<int> RunAsync(PlanRequest request, CancellationToken ct)
    {
        var state = gate.Load(request.Specs)?.Filter(request.Hosts);
        if (state is null) return ExitCodes.Error;

        var plan = await engine.PlanAsync(state, new ProgressView(terminal), ct);
        var rendered = request.Format switch
        {
            "json" => PlanJsonView.Render(plan, clock.GetUtcNow()),
            "markdown" => PlanMarkdownView.Render(plan),
            _ => PlanTextView.Render(plan, request.OutFile is null ? new Styles(terminal.Colour) : Styles.Plain),
        };
        if (request.OutFile is not null)
        {
            await File.WriteAllTextAsync(request.OutFile, rendered, ct);
            terminal.Out.WriteLine(PlanSummary.Line(plan) + $" Written to {request.OutFile}.");
        }
        else
        {
            terminal.Out.Write(rendered);
        }

        return plan.HasErrors ? ExitCodes.Error : plan.HasChanges ? ExitCodes.Changes : ExitCodes.Ok;
    }
}
