using Reconciler.Cli.Redaction;
using Reconciler.Cli.Views;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Git;

namespace Reconciler.Cli.Features;

/// <param name="Comment">Post or edit the pull request's plan comment (--comment); <paramref name="PullRequest"/> is --pr.</param>
/// <param name="Repo">Read the specs out of this git repository's <paramref name="Head"/> commit (default HEAD); with
/// <paramref name="Base"/>, plan only the hosts whose desired state differs between the two, unless <paramref name="All"/>.</param>
/// <param name="ContactNewHosts">With <paramref name="Base"/>: connect also to hosts the base's inventory does not have as
/// declared (a maintainer approved the change); without it they are planned as creates, not contacted.</param>
/// <param name="Shard">Plan only this shard's part of the selected hosts (--shard K/N); <c>reconciler merge</c> joins the parts.</param>
internal sealed record PlanRequest(
    string Specs, string? Hosts, string Format, string? OutFile, bool Comment = false, int? PullRequest = null,
    string? Repo = null, string? Base = null, string? Head = null, bool All = false, bool ContactNewHosts = false, Shard? Shard = null,
    int? Parallel = null)
{
    public PlanOutput Output => new(Format, OutFile, Comment, PullRequest);
}

/// <summary>Where a plan goes: the console or <paramref name="OutFile"/> in <paramref name="Format"/>, and the pull request's comment.</summary>
internal sealed record PlanOutput(string Format, string? OutFile, bool Comment, int? PullRequest);

internal sealed class PlanFeature(
    SpecGate gate, RepoSpecs repoSpecs, Reconciliation engine, Terminal terminal, TimeProvider clock, PlanPublisher publisher, OutputFiles files,
    ReconcileOptions options)
{
    public async Task<int> RunAsync(PlanRequest request, CancellationToken ct)
    {
        if (request.Shard is not null && request.Comment)
        {
            // One shard's comment would replace the whole plan's: the comment is posted by merge, from every shard.
            terminal.Error.WriteLine("--comment with --shard: a shard holds part of the plan; post the comment with reconciler merge --comment");
            return ExitCodes.Error;
        }

        if (request.Repo is null)
        {
            if (request.Base is not null || request.Head is not null || request.ContactNewHosts)
            {
                terminal.Error.WriteLine("--base, --head and --contact-new-hosts need --repo DIR (the git repository holding the specs)");
                return ExitCodes.Error;
            }

            var loaded = gate.Load(request.Specs);
            if (Unselectable(request, loaded)) return ExitCodes.Error;
            return await PlanAsync(request, loaded?.Filter(request.Hosts).WithParallel(request.Parallel), null, null, ct);
        }

        try
        {
            using var repo = GitRepositories.Open(request.Repo);
            var specsPath = RepoSpecs.SpecsPath(repo, request.Specs);
            var head = repo.Resolve(request.Head ?? "HEAD");
            if (request.ContactNewHosts && request.Base is null)
            {
                terminal.Error.WriteLine("--contact-new-hosts needs --base: without a base every host of the commit is trusted already");
                return ExitCodes.Error;
            }

            // The base is read first: its inventory, reviewed by maintainers, decides what the change may manage.
            var (baseState, reviewed) = request.Base is null
                ? (null, null)
                : repoSpecs.TryLoadQuietly(repo, repo.Resolve(request.Base), specsPath);
            var state = repoSpecs.Load(repo, head, specsPath, reviewed);
            // Checked against every host of the commit: a host the change does not affect is selected, with nothing to plan.
            if (Unselectable(request, state)) return ExitCodes.Error;
            AffectedHosts? affected = null;
            if (state is not null && request.Base is not null)
            {
                affected = AffectedHosts.Compare(baseState, state);
                Inform(request.Output, AffectedLine(affected, repo.Resolve(request.Base), head, request.All));
                if (!request.All)
                {
                    state = state with { Hosts = state.Hosts.Where(h => affected.Affected.Contains(h.Host.Name)).ToList() };
                }

                // The base's inventory is the one maintainers reviewed: it decides which hosts this run may contact,
                // unless a maintainer approved the change's hosts (--contact-new-hosts, passed on the approving label).
                state = state with { Trusted = TrustedInventory.Of(baseState) with { ChangeApproved = request.ContactNewHosts } };
            }

            return await PlanAsync(request, state?.Filter(request.Hosts).WithParallel(request.Parallel), affected is null ? null : repo.Resolve(request.Base!), affected, ct, repo);
        }
        catch (GitRepositoryException e)
        {
            terminal.Error.WriteLine(e.Message);
            return ExitCodes.Error;
        }
    }

    private bool Unselectable(PlanRequest request, DesiredState? state)
    {
        if (state?.SelectionProblem(request.Hosts) is not { } problem) return false;
        terminal.Error.WriteLine($"--hosts: {problem}; no host was contacted.");
        return true;
    }

    private async Task<int> PlanAsync(
        PlanRequest request, DesiredState? state, string? baseCommit, AffectedHosts? affected, CancellationToken ct, IGitRepository? repo = null)
    {
        if (state is null) return ExitCodes.Error;

        var shard = request.Shard is { } part ? PlanShard.Of(state, part, PlanShard.PlanRun, options.EffectivePlanKey) : null;
        if (shard is not null)
        {
            state = state.Sharded(shard.Shard);
            Inform(request.Output, ShardLine(shard, state));
        }

        var plan = await engine.PlanAsync(state, new ProgressView(terminal), ct) with { BaseCommit = baseCommit, RemovedHosts = affected?.Removed ?? [], Shard = shard };
        if (repo is not null && state.Commit is { } head)
        {
            plan = RepoSpecs.WithAncestry(plan, repo, head);
        }

        return await ShowAsync(plan, clock.GetUtcNow(), request.Output, ct);
    }

    /// <summary>
    /// Renders <paramref name="plan"/> as asked, publishes it (step summary, comment) and returns the plan's exit code:
    /// a plan just made, or the shards' plans merged back into one (<see cref="MergeFeature"/>).
    /// </summary>
    public async Task<int> ShowAsync(Plan plan, DateTimeOffset generatedAt, PlanOutput output, CancellationToken ct)
    {
        var rendered = output.Format switch
        {
            "json" => PlanJsonView.Render(plan, generatedAt),
            "markdown" => PlanMarkdownView.Render(plan),
            _ => PlanTextView.Render(plan, output.OutFile is null ? new Styles(terminal.Colour) : Styles.Plain),
        };
        if (output.OutFile is not null)
        {
            await files.WriteAsync(output.OutFile, rendered, ct);
            terminal.Out.WriteLine(PlanSummary.Line(plan) + $" Written to {output.OutFile}.");
        }
        else
        {
            terminal.Out.Write(rendered);
        }

        foreach (var host in plan.Hosts.Where(h => h.Applied is not null))
        {
            Inform(output, TerminalText.Line(host.Applied!.Describe(host.Host)));
        }

        // Step summary and pull-request comment; a comment that was asked for and failed fails the command.
        if (!await publisher.PublishAsync(plan, output.Comment, output.PullRequest, ct)) return ExitCodes.Error;

        return ExitCodes.For(plan);
    }

    /// <summary>"Shard 2/3: 4 of 11 selected host(s)." — said first, so a job's log shows which part it read.</summary>
    internal static string ShardLine(PlanShard shard, DesiredState part) =>
        $"Shard {shard.Shard}: {part.Hosts.Count} of {shard.Hosts.Count} selected host(s).";

    /// <summary>Notes for people go to the console, but never into a JSON plan written to stdout.</summary>
    private void Inform(PlanOutput output, string line) =>
        (output.Format == "json" && output.OutFile is null ? terminal.Error : terminal.Out).WriteLine(line);

    private static string AffectedLine(AffectedHosts affected, string baseCommit, string head, bool all)
    {
        var hosts = affected.Changed.Select(h => $"{h} (changed)").Concat(affected.Added.Select(h => $"{h} (added)")).ToList();
        var line = $"Hosts affected by {baseCommit[..7]}..{head[..7]}: {(hosts.Count == 0 ? "none" : string.Join(", ", hosts))}.";
        if (affected.Removed.Count > 0) line += $" Removed: {string.Join(", ", affected.Removed)} (not touched).";
        if (affected.Unchanged.Count > 0) line += all ? $" Also planned (--all): {affected.Unchanged.Count} unchanged host(s)." : $" Not planned: {affected.Unchanged.Count} unchanged host(s) (--all plans them).";
        return line;
    }
}
