using Reconciler.Cli.Views;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Git;

namespace Reconciler.Cli.Features;

internal sealed class ApplyFeature(SpecGate gate, RepoSpecs repoSpecs, Reconciliation engine, Terminal terminal, ReconcileOptions options, Interruption interruption)
{
    /// <summary>What a person must type to apply (terraform's habit): "y", Enter or a stray key applies nothing.</summary>
    internal const string Consent = "yes";

    public async Task<int> RunAsync(ApplyRequest request, CancellationToken ct)
    {
        if (request.PlanFile is null && !request.Yes && terminal.Answers is null)
        {
            // Refused before the specs are read or any host contacted: a script must say it means to apply unseen changes.
            terminal.Error.WriteLine("apply: refused: standard input is not a terminal, so nobody can confirm the plan; pass --yes to apply without asking, or --plan FILE to apply a reviewed plan");
            return ExitCodes.Error;
        }

        Plan? approved = null;
        if (request.PlanFile is not null)
        {
            try
            {
                approved = PlanFile.Read(request.PlanFile).Plan;
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

        state = state?.Filter(request.Hosts).WithParallel(request.Parallel);
        if (state is null) return ExitCodes.Error;
        if (request.Shard is { } shard)
        {
            var selectedCount = state.Hosts.Count;
            state = state.Sharded(shard);
            terminal.Out.WriteLine($"Shard {shard}: {state.Hosts.Count} of {selectedCount} selected host(s).");
        }

        if (approved is not null)
        {
            // Checked before any host is contacted: a plan for other specs is refused whole.
            var selected = approved.Hosts.Select(h => h.Host)
                .Where(h => HostSelection.Parse(request.Hosts) is not { } selection || SelectedIn(state, selection, h))
                .Where(h => request.Shard?.Owns(h) ?? true).ToHashSet(StringComparer.Ordinal);
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

        var styles = new Styles(terminal.Colour);
        IReadOnlyList<HostApplyResult> unread = [];
        if (approved is null && !request.Yes)
        {
            if (await ConfirmAsync(state, styles, ct) is not { } shown) return ExitCodes.Error;
            (approved, unread) = shown;
        }

        // The first interrupt stops new work (hosts not yet applying release their locks); only a second abandons the hosts.
        var settings = new ApplySettings(request.ConfirmTimeout, request.LockTimeout, approved) { Interrupt = interruption.First };
        var applied = await engine.ApplyAsync(state, settings, new ProgressView(terminal), interruption.Second);
        var result = unread.Count == 0 ? applied : new ApplyResult(Ordered(state, [.. applied.Hosts, .. unread]));
        terminal.Out.Write(ApplyTextView.Render(result, styles));
        foreach (var host in result.Hosts.Where(h => h.LockTakeover is not null))
        {
            terminal.Out.WriteLine(TerminalText.Line($"{host.Host}: {host.LockTakeover}"));
        }

        return interruption.Interrupted ? Interruption.ExitCode : result.Succeeded ? ExitCodes.Ok : ExitCodes.Error;
    }

    /// <summary>
    /// Plans, shows the plan as <c>plan</c> does and, when any host would change, asks for <see cref="Consent"/>. The plan
    /// shown becomes the approved plan, as a saved one would: a host whose live state moved since it was shown is refused,
    /// never applied to something nobody saw. A host that could not be read is not contacted again; it is reported as
    /// unreachable with the plan's error. Null when the person did not confirm (nothing was applied).
    /// </summary>
    private async Task<(Plan Approved, IReadOnlyList<HostApplyResult> Unread)?> ConfirmAsync(DesiredState state, Styles styles, CancellationToken ct)
    {
        var plan = await engine.PlanAsync(state, new ProgressView(terminal), ct);
        terminal.Out.Write(PlanTextView.Render(plan, styles));

        var changing = plan.Hosts.Count(h => h.HasChanges);
        if (changing > 0)
        {
            terminal.Out.WriteLine();
            terminal.Out.Write(styles.Bold($"Apply these changes to {changing} host(s)? Only '{Consent}' is accepted: "));
            terminal.Out.Flush();
            // A console read ignores cancellation: the wait ends on Ctrl-C instead (the run then ends as interrupted).
            var answer = await terminal.Answers!.ReadLineAsync(CancellationToken.None).AsTask().WaitAsync(ct);
            if (answer?.Trim() != Consent)
            {
                if (answer is null) terminal.Out.WriteLine();
                terminal.Out.WriteLine("Apply cancelled: nothing was applied.");
                return null;
            }
        }

        var unread = plan.Hosts.Where(h => h.Error is not null).Select(h => new HostApplyResult(h.Host, h, [], null, h.Error)).ToList();
        return (plan with { Hosts = plan.Hosts.Where(h => h.Error is null).ToList() }, unread);
    }

    private static List<HostApplyResult> Ordered(DesiredState state, IEnumerable<HostApplyResult> hosts)
    {
        var order = state.Hosts.Select((h, i) => (h.Host.Name, i)).ToDictionary(h => h.Name, h => h.i, StringComparer.Ordinal);
        return hosts.OrderBy(h => order.GetValueOrDefault(h.Host, int.MaxValue)).ToList();
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
