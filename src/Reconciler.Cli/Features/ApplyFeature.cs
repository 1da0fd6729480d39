using Reconciler.Cli.Views;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Git;

namespace Reconciler.Cli.Features;

internal sealed class ApplyFeature(SpecGate gate, RepoSpecs repoSpecs, Reconciliation engine, Terminal terminal, ReconcileOptions options, Interruption interruption)
{
    public Task<int> RunAsync(string specs, string? hosts, TimeSpan? confirmTimeout, CancellationToken ct) =>
        RunAsync(new ApplyRequest(specs, hosts, confirmTimeout), ct);

    public async Task<int> RunAsync(ApplyRequest request, CancellationToken ct)
    {
        Plan? approved = null;
        if (request.PlanFile is not null)
        {
            try
            {
                approved = PlanJsonView.Parse(await File.ReadAllTextAsync(request.PlanFile, ct));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                terminal.Error.WriteLine($"apply --plan {request.PlanFile}: {e.Message}");
                return ExitCodes.Error;
            }
        }

        DesiredState? state;
        try
        {
            state = Load(request);
        }
        catch (GitRepositoryException e)
        {
            terminal.Error.WriteLine(e.Message);
            return ExitCodes.Error;
        }

        if (state?.SelectionProblem(request.Hosts) is { } unselectable)
        {
            terminal.Error.WriteLine($"--hosts: {unselectable}; no host was contacted.");
            return ExitCodes.Error;
        }

        state = state?.Filter(request.Hosts);
        if (state is null) return ExitCodes.Error;

        if (approved is not null)
        {
            // Checked before any host is contacted: a plan for other specs is refused whole.
            var selected = approved.Hosts.Select(h => h.Host)
                .Where(h => HostSelection.Parse(request.Hosts) is not { } selection || SelectedIn(state, selection, h)).ToHashSet(StringComparer.Ordinal);
            if (SavedPlan.Mismatch(approved, selected, state, options.EffectivePlanKey) is { } mismatch)
            {
                terminal.Error.WriteLine($"apply --plan {request.PlanFile}: refused: {mismatch}");
                return ExitCodes.Error;
            }

            if (approved.Commit is not null && state.Commit is not null && approved.Commit != state.Commit)
            {
                terminal.Out.WriteLine($"The plan was made at commit {approved.Commit[..7]}; the specs at {state.Commit[..7]} are identical for its hosts.");
            }

            approved = approved with { Hosts = approved.Hosts.Where(h => selected.Contains(h.Host)).ToList() };
        }

        // The first interrupt stops new work (hosts not yet applying release their locks); only a second abandons the hosts.
        var settings = new ApplySettings(request.ConfirmTimeout, request.LockTimeout, approved) { Interrupt = interruption.First };
        var result = await engine.ApplyAsync(state, settings, new ProgressView(terminal), interruption.Second);
        terminal.Out.Write(ApplyTextView.Render(result, new Styles(terminal.Colour)));
        foreach (var host in result.Hosts.Where(h => h.LockTakeover is not null))
        {
            terminal.Out.WriteLine(TerminalText.Line($"{host.Host}: {host.LockTakeover}"));
        }

        return interruption.Interrupted ? Interruption.ExitCode : result.Succeeded ? ExitCodes.Ok : ExitCodes.Error;
    }

    private DesiredState? Load(ApplyRequest request)
    {
        if (request.Repo is null) return gate.Load(request.Specs);
        using var repo = GitRepositories.Open(request.Repo);
        return repoSpecs.Load(repo, repo.Resolve("HEAD"), RepoSpecs.SpecsPath(repo, request.Specs));
    }

    /// <summary>
    /// Whether the saved plan's <paramref name="host"/> is in the selection: selected hosts are in <paramref name="state"/>
    /// already; a host the inventory no longer has is judged by name alone.
    /// </summary>
    private static bool SelectedIn(DesiredState state, HostSelection selection, string host) =>
        state.Hosts.Any(h => h.Host.Name == host) || selection.SelectsName(host);
}
