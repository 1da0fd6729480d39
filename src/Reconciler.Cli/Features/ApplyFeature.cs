using Reconciler.Cli.Views;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Git;

namespace Reconciler.Cli.Features;

internal sealed class ApplyFeature(SpecGate gate, RepoSpecs repoSpecs, Reconciliation engine, Terminal terminal, ReconcileOptions options)
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

        state = state?.Filter(request.Hosts);
        if (state is null) return ExitCodes.Error;

        if (approved is not null)
        {
            // Checked before any host is contacted: a plan for other specs is refused whole.
            var selected = approved.Hosts.Select(h => h.Host)
                .Where(h => request.Hosts is null || HostPattern.Matches(request.Hosts, h)).ToHashSet(StringComparer.Ordinal);
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

        var settings = new ApplySettings(request.ConfirmTimeout, request.LockTimeout, approved);
        var result = await engine.ApplyAsync(state, settings, new ProgressView(terminal), ct);
        terminal.Out.Write(ApplyTextView.Render(result, new Styles(terminal.Colour)));
        foreach (var host in result.Hosts.Where(h => h.LockTakeover is not null))
        {
            terminal.Out.WriteLine(TerminalText.Line($"{host.Host}: {host.LockTakeover}"));
        }

        return result.Succeeded ? ExitCodes.Ok : ExitCodes.Error;
    }

    private DesiredState? Load(ApplyRequest request)
    {
        if (request.Repo is null) return gate.Load(request.Specs);
        using var repo = GitRepositories.Open(request.Repo);
        return repoSpecs.Load(repo, repo.Resolve("HEAD"), RepoSpecs.SpecsPath(repo, request.Specs));
    }
}
