using Reconciler.Cli.Secrets;
using Reconciler.Specs;

namespace Reconciler.Cli.Features;

/// <param name="environment">Where RECONCILER_SECRET_NAMES is read: the run's environment.</param>
internal sealed class ValidateFeature(SpecGate gate, Terminal terminal, Func<string, string?> environment)
{
    /// <param name="secretsByName">Check secret references by name only, reading no secret value (<see cref="SecretNamesOnly"/>).</param>
    public int Run(string specsDirectory, bool secretsByName = false)
    {
        SpecLoader? byName = null;
        if (secretsByName)
        {
            var (store, error) = SecretNamesOnly.Open(environment);
            if (store is null)
            {
                terminal.Error.WriteLine($"error: {error}");
                return ExitCodes.Error;
            }

            byName = new SpecLoader(store);
        }

        var state = gate.Load(specsDirectory, specLoader: byName);
        if (state is null) return ExitCodes.Error;
        var how = secretsByName ? " Secret references were checked by name only; no secret value was read." : "";
        terminal.Out.WriteLine($"Specs valid: {state.Hosts.Count} host(s), {state.Hosts.Sum(h => h.Resources.Count)} resource declaration(s).{how}");
        return ExitCodes.Ok;
    }
}
