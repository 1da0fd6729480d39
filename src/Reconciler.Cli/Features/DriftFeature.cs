using Reconciler.Cli.GitHubActions;
using Reconciler.Cli.Redaction;
using Reconciler.Cli.Views;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Git;
using Reconciler.GitHub;

namespace Reconciler.Cli.Features;

/// <summary>
/// The nightly drift check: Markdown, JSON and self-contained HTML reports (drift.html, and fleet.html with each host's
/// health and mail graphs), the step summary in a workflow, and with --issues one GitHub issue per drifted host or host
/// needing attention. Exit code: 1 on an error, else 2 when a host drifted or needs attention, else 0.
/// </summary>
internal sealed class DriftFeature(
    SpecGate gate, RepoSpecs repoSpecs, Reconciliation engine, Terminal terminal, TimeProvider clock, OutputFiles files,
    GitHubActionsContext github, GitHubConnector connector, ReconcileOptions options)
{
    public async Task<int> RunAsync(DriftRequest request, CancellationToken ct)
    {
        if (request.Shard is not null && request.Issues)
        {
            // A shard sees part of the fleet: the issues are kept by merge, which sees all of it.
            terminal.Error.WriteLine("--issues with --shard: a shard holds part of the fleet; sync the issues with reconciler merge --issues");
            return ExitCodes.Error;
        }

        if (request.Repo is null)
        {
            return await RunAsync(request, gate.Load(request.Specs), null, ct);
        }

        try
        {
            using var repo = GitRepositories.Open(request.Repo);
            var head = repo.Resolve("HEAD");
            return await RunAsync(request, repoSpecs.Load(repo, head, RepoSpecs.SpecsPath(repo, request.Specs)), plan => RepoSpecs.WithAncestry(plan, repo, head), ct);
        }
        catch (GitRepositoryException e)
        {
            terminal.Error.WriteLine($"--repo: {e.Message}; no host was contacted.");
            return ExitCodes.Error;
        }
    }

    private async Task<int> RunAsync(DriftRequest request, DesiredState? loaded, Func<Plan, Plan>? withAncestry, CancellationToken ct)
    {
        if (loaded?.SelectionProblem(request.Hosts) is { } unselectable)
        {
            terminal.Error.WriteLine($"--hosts: {unselectable}; no host was contacted.");
            return ExitCodes.Error;
        }

        var state = loaded?.Filter(request.Hosts).WithParallel(request.Parallel);
        if (state is null) return ExitCodes.Error;

        // Checked before any host is read: a nightly job misconfigured for issues should fail fast, not after an hour.
        if (IssuesUnconfigured(request, "no host was contacted")) return ExitCodes.Error;

        var shard = request.Shard is { } part ? PlanShard.Of(state, part, PlanShard.DriftRun, options.EffectivePlanKey) : null;
        if (shard is not null)
        {
            state = state.Sharded(shard.Shard);
            terminal.Out.WriteLine(PlanFeature.ShardLine(shard, state));
        }

        // The nightly run over the trusted branch also reads health and mail traffic (a pull request's plan never does).
        var plan = await engine.PlanAsync(state, new ProgressView(terminal), ct, monitor: true) with { Shard = shard };
        plan = withAncestry?.Invoke(plan) ?? plan;
        return await ReportAsync(request, plan, clock.GetUtcNow(), ct);
    }

    /// <summary>Whether --issues was asked for without the GitHub settings it needs (said in one line ending in <paramref name="consequence"/>).</summary>
    public bool IssuesUnconfigured(DriftRequest request, string consequence)
    {
        if (!request.Issues || github.Connection().Connection is not null) return false;
        terminal.Error.WriteLine($"--issues: {github.Connection().Missing}; {consequence}.");
        return true;
    }

    /// <summary>
    /// Writes the report directory, the step summary and the console's text, and with --issues keeps the issues; returns
    /// the drift exit code. For a drift just read, or the shards' reports merged back into one (<see cref="MergeFeature"/>).
    /// </summary>
    public async Task<int> ReportAsync(DriftRequest request, Plan plan, DateTimeOffset now, CancellationToken ct)
    {
        var connection = github.Connection().Connection;
        Directory.CreateDirectory(request.ReportDirectory);
        var markdown = DriftMarkdownView.Render(plan, now);
        await files.ReplaceAsync(Path.Combine(request.ReportDirectory, "drift.md"), markdown, ct);
        await files.ReplaceAsync(Path.Combine(request.ReportDirectory, "drift.json"), PlanJsonView.Render(plan, now), ct);
        await files.ReplaceAsync(Path.Combine(request.ReportDirectory, "drift.html"), DriftHtmlView.Render(plan, now), ct);
        var history = await HealthHistoryFile.KeepAsync(request.ReportDirectory, plan, files, w => terminal.Error.WriteLine($"warning: {w}"), ct);
        await files.ReplaceAsync(Path.Combine(request.ReportDirectory, "fleet.html"), FleetHtmlView.Render(plan, history, now), ct);
        if (github.StepSummaryPath is { } summary)
        {
            await files.AppendAsync(summary, GitHubBody.Fit(markdown, $"This summary is cut to GitHub's size limit; the whole report is in {ReportAt(request)}.", GitHubBody.StepSummaryBudget) + "\n", ct);
        }

        // The console gets text; drift.md (and a workflow's step summary) keep the Markdown.
        terminal.Out.Write(DriftTextView.Render(plan, new Styles(terminal.Colour)));
        terminal.Out.WriteLine($"Report written to {Path.Combine(request.ReportDirectory, "drift.md")}, drift.json, drift.html and fleet.html.");

        var issuesFailed = false;
        if (request.Issues)
        {
            try
            {
                var results = await new DriftIssueSync(connector.Connect(connection!), clock, ReportAt(request)).SyncAsync(plan, request.Handle, ct);
                foreach (var r in results.Where(r => r.Action is not (DriftIssueAction.None or DriftIssueAction.Failed)))
                {
                    terminal.Out.WriteLine($"Drift issue for {r.Host}: {r.Action.ToString().ToLowerInvariant()}{(r.Issue is null ? "" : $" (#{r.Issue})")}.");
                }

                // Every other host was still handled; the run fails at the end, one line per host GitHub refused.
                foreach (var r in results.Where(r => r.Action is DriftIssueAction.Failed))
                {
                    terminal.Error.WriteLine($"--issues: drift issue for {r.Host} failed: {r.Failure}");
                    issuesFailed = true;
                }
            }
            catch (GitHubApiException e)
            {
                terminal.Error.WriteLine($"--issues: {e.Message}");
                issuesFailed = true;
            }
        }

        return ExitCodes.ForDrift(plan, issuesFailed);
    }

    /// <summary>
    /// Where an issue cut to GitHub's limit sends the reader: the drift workflow uploads the report directory as the
    /// artifact drift-report-RUN_ID (.github/workflows/drift.yml); outside a workflow, the report directory itself.
    /// </summary>
    private string ReportAt(DriftRequest request) => github.RunId is { } run
        ? $"drift.md and drift.json of the artifact `drift-report-{run}`" + (github.RunUrl is { } url ? $" of [this workflow run]({url})" : "")
        : $"drift.md and drift.json in {MarkdownText.Code(request.ReportDirectory)}";
}
