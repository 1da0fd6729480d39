using Reconciler.Cli.Views;
using Reconciler.Core.Engine;

namespace Reconciler.Cli.Features;

internal sealed class ApplyFeature(SpecGate gate, Reconciliation engine, Terminal terminal)
{
    public async Task<int> RunAsync(string specs, string? hosts, TimeSpan? confirmTimeout, CancellationToken ct)
    {
        var state = gate.Load(specs)?.Filter(hosts);
        if (state is null) return ExitCodes.Error;

        var result = await engine.ApplyAsync(state, new ProgressView(terminal), ct, confirmTimeout);
        terminal.Out.Write(ApplyTextView.Render(result, new Styles(terminal.Colour)));
        return result.Succeeded ? ExitCodes.Ok : ExitCodes.Error;
    }
}
