namespace Reconciler.Cli.Features;

internal sealed class ValidateFeature(SpecGate gate, Terminal terminal)
{
    public int Run(string specsDirectory)
    {
        var state = gate.Load(specsDirectory);
        if (state is null) return ExitCodes.Error;
        terminal.Out.WriteLine($"Specs valid: {state.Hosts.Count} host(s), {state.Hosts.Sum(h => h.Resources.Count)} resource declaration(s).");
        return ExitCodes.Ok;
    }
}
