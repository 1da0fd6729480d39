using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Cli.GitHubActions;
using Reconciler.Cli.Redaction;
using Reconciler.Cli.Secrets;
using Reconciler.Cli.Views;
using Reconciler.Core.Secrets;
using Reconciler.Core.Specs;
using Reconciler.Specs;

namespace Reconciler.Cli.Features;

/// <summary>
/// Every command passes here first: specs are loaded and validated, every problem is printed, and no host is
/// contacted unless the specs are valid.
/// </summary>
internal sealed class SpecGate(SpecLoader loader, SecretStore secrets, SecretFile secretFile, Terminal terminal, RedactionScope redaction, GitHubActionsContext github)
{
    /// <param name="displayRoot">Where paths are shown relative to; default the working directory.</param>
    /// <param name="specLoader">A loader other than the run's: validate --secrets-by-name reads secrets by name only.</param>
    public DesiredState? Load(string specsDirectory, string? displayRoot = null, SpecLoader? specLoader = null)
    {
        if (!Directory.Exists(specsDirectory))
        {
            terminal.Error.WriteLine($"{specsDirectory}:1:1: error {DiagnosticCodes.UnreadableFile}: specs directory not found");
            return null;
        }

        return Load(specsDirectory, () => (specLoader ?? loader).Load(specsDirectory, displayRoot ?? Directory.GetCurrentDirectory()));
    }

    /// <summary>Specs read out of a git commit (<paramref name="tree"/>), shown relative to the repository's root.</summary>
    /// <param name="reviewed">For a change, the base's inventory (see <see cref="SpecLoader.Load(ISpecTree, string, ReviewedInventory?)"/>).</param>
    public DesiredState? Load(ISpecTree tree, string repositoryRoot, ReviewedInventory? reviewed = null) =>
        Load(tree.Location, () => loader.Load(tree, repositoryRoot, reviewed));

    private DesiredState? Load(string specsDirectory, Func<SpecLoadResult> load)
    {
        if (secretFile.InsideRepositoryProblem(specsDirectory) is { } problem)
        {
            terminal.Error.WriteLine($"error: {problem}; no host was contacted.");
            return null;
        }

        var result = load();
        // Known before anything about the specs is printed: the schema-marked values, every secret the specs named, and
        // rendered sensitive templates.
        redaction.Add(result.Secrets.Concat(secrets.ResolvedValues).Concat(result.State is null ? [] : SecretRedactor.SensitiveValuesOf(result.State)));
        foreach (var diagnostic in result.Diagnostics)
        {
            terminal.Error.WriteLine(TerminalText.Line(diagnostic.ToString()));
            foreach (var line in diagnostic.Excerpt?.Split('\n') ?? [])
            {
                terminal.Error.WriteLine(TerminalText.Line(line));
            }

            if (github.InActions)
            {
                // GitHub turns these workflow commands into annotations on the pull request's changed lines.
                var level = diagnostic.Severity == Severity.Error ? "error" : "warning";
                terminal.Out.WriteLine(WorkflowCommand.Format(level,
                    [("file", diagnostic.Location.File), ("line", $"{diagnostic.Location.Line}"), ("col", $"{diagnostic.Location.Column}")],
                    $"{diagnostic.Code}: {diagnostic.Message}"));
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
