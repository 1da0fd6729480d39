using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Cli.Views;
using Reconciler.Specs;

namespace Reconciler.Cli.Features;

/// <summary>
/// Every command passes here first: specs are loaded and validated, every problem is printed, and no host is
/// contacted unless the specs are valid.
/// </summary>
internal sealed class SpecGate(SpecLoader loader, Terminal terminal)
{
    public DesiredState? Load(string specsDirectory)
    {
        if (!Directory.Exists(specsDirectory))
        {
            terminal.Error.WriteLine($"{specsDirectory}:1:1: error {DiagnosticCodes.UnreadableFile}: specs directory not found");
            return null;
        }

        var result = loader.Load(specsDirectory);
        foreach (var diagnostic in result.Diagnostics)
        {
            terminal.Error.WriteLine(diagnostic.ToString());
            if (Environment.GetEnvironmentVariable("GITHUB_ACTIONS") == "true")
            {
                // GitHub turns these workflow commands into annotations on the pull request's changed lines.
                var level = diagnostic.Severity == Severity.Error ? "error" : "warning";
                terminal.Out.WriteLine($"::{level} file={diagnostic.Location.File},line={diagnostic.Location.Line},col={diagnostic.Location.Column}::{diagnostic.Code}: {diagnostic.Message}");
            }
        }

        if (result.HasErrors || result.State is null)
        {
            var errors = result.Diagnostics.Count(d => d.Severity == Severity.Error);
            terminal.Error.WriteLine(new Styles(terminal.Colour).Error($"{errors} error(s); no host was contacted."));
            return null;
        }

        return result.State;
    }
}
