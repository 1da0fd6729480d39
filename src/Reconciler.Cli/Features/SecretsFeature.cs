using Reconciler.Cli.Secrets;
using Reconciler.Core.Secrets;
using Reconciler.Specs;

namespace Reconciler.Cli.Features;

/// <summary>
/// <c>reconciler secrets</c>: the secret names the specs reference, so that a GitHub set-up (or a secret file) can be
/// made from the specs instead of from reading them. The specs are read as <c>validate --secrets-by-name</c> reads them:
/// every name the loader asks for is recorded and answered with a stand-in, so no secret value is read or needed.
/// </summary>
internal sealed class SecretsFeature(SpecGate gate, Terminal terminal)
{
    /// <param name="workflowEnv">Print the workflow <c>env:</c> lines instead of the bare names.</param>
    public int Run(string specsDirectory, bool workflowEnv)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var recording = new SecretStore(name =>
        {
            // A malformed name stays unset, so the loader reports it at its line as any run would.
            if (!SecretStore.IsValidName(name)) return null;
            lock (names) names.Add(name);
            return SecretNamesOnly.StandIn(name);
        });
        if (gate.Load(specsDirectory, specLoader: new SpecLoader(recording)) is null) return ExitCodes.Error;

        if (names.Count == 0)
        {
            terminal.Error.WriteLine("The specs reference no secret.");
            return ExitCodes.Ok;
        }

        foreach (var line in workflowEnv ? WorkflowEnv(names) : names)
        {
            terminal.Out.WriteLine(line);
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// The lines the workflows' env blocks need: each value from the GitHub secret of the same name in upper case (a
    /// secret of the environments the plan, apply and drift jobs enter), and for the validate job, which gets no
    /// secret, only the list of names.
    /// </summary>
    public static IEnumerable<string> WorkflowEnv(IReadOnlyCollection<string> names)
    {
        yield return "# plan, apply and drift jobs (env of the job that enters reconciler-plan, reconciler-apply, reconciler-drift):";
        foreach (var name in names)
        {
            yield return $"{SecretStore.EnvironmentVariableFor(name)}: ${{{{ secrets.{name.ToUpperInvariant()} }}}}";
        }

        yield return "# validate job (names only, no secret):";
        yield return $"{SecretNamesOnly.NamesVariable}: {string.Join(' ', names)}";
    }
}
