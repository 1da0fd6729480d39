using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Reconciler.Cli.Features;
using Reconciler.Core.Model;
using Reconciler.Core.Engine;

namespace Reconciler.Cli.Commands;

/// <summary>The terraform-like command tree; each command only parses options and hands off to one feature.</summary>
internal static class CommandLine
{
    public static RootCommand Build(IServiceProvider services)
    {
        var specs = new Option<string>("--specs") { Description = "Directory holding the desired state (*.yaml)", DefaultValueFactory = _ => "./specs", Recursive = true };
        var hosts = new Option<string?>("--hosts") { Description = "Only these hosts: names, group names or globs (* ?) over either, comma-separated; a term selecting nothing is an error" };
        var format = new Option<string>("--format") { Description = "Plan output format", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "markdown", "json");
        var outFile = new Option<string?>("--out") { Description = "Write the plan to this file instead of the console" };
        var reportDir = new Option<string>("--report-dir") { Description = "Where drift.md, drift.json, drift.html and fleet.html are written (and monitoring-history.json kept)", DefaultValueFactory = _ => "./drift-report" };
        var comment = new Option<bool>("--comment")
        {
            Description = "Post the plan as the pull request's comment, edited in place on every plan (needs GITHUB_TOKEN, GITHUB_REPOSITORY, and --pr or a pull_request event)",
        };
        var pullRequest = new Option<int?>("--pr") { Description = "The pull request to comment on (default: pull_request.number from GITHUB_EVENT_PATH)" };
        var issues = new Option<bool>("--issues")
        {
            Description = "Keep one GitHub issue per drifted host: opened on new drift, updated when it changes, closed when back in sync (needs GITHUB_TOKEN, GITHUB_REPOSITORY)",
        };
        var mention = new Option<string?>("--mention") { Description = "Who to notify when a drift issue opens or its drift changes: a user or org/team, without the @ (a leading @ reads as a response file)" };

        var shard = new Option<string?>("--shard")
        {
            Description = "Only this part K of N of the selected hosts (rendezvous hashing on the host name: stable as N grows); reconciler merge joins the N parts",
        };

        var root = new RootCommand("reconciler — keeps Linux hosts in the state a git repository of YAML declares") { specs };

        var secretsByName = new Option<bool>("--secrets-by-name")
        {
            Description = "Check secret references by name only, reading no secret value (a pull request from a fork gets none); "
                + "when RECONCILER_SECRET_NAMES lists names, any other name is an error",
        };
        var validate = new Command("validate", "Check the specs (YAML, schemas, semantics) without contacting any host. Exit 0 valid, 1 invalid.") { secretsByName };
        validate.SetAction(r => services.GetRequiredService<ValidateFeature>().Run(r.GetValue(specs)!, r.GetValue(secretsByName)));

        var repo = new Option<string?>("--repo") { Description = "Read the specs out of this git repository's commits (--specs is then inside it, default specs) instead of the working tree" };
        var baseRef = new Option<string?>("--base") { Description = "With --repo: the commit a change starts from (e.g. the pull request's base); only hosts whose desired state differs are planned" };
        var headRef = new Option<string?>("--head") { Description = "With --repo: the commit to plan (default HEAD)" };
        var all = new Option<bool>("--all") { Description = "With --base: plan every host, not only the affected ones" };
        var contactNewHosts = new Option<bool>("--contact-new-hosts")
        {
            Description = "With --base: also connect to hosts the change adds or points elsewhere (only once a maintainer approved the change); "
                + "without it they are planned as creates, not contacted",
        };
        var parallel = new Option<int?>("--parallel")
        {
            Description = $"Hosts worked on at once, {ReconcileOptions.MinParallelHosts}-{ReconcileOptions.ParallelHostsLimit} "
                + $"(default: the inventory's defaults.parallel, else {ReconcileOptions.DefaultParallelHosts})",
        };
        Between(parallel, ReconcileOptions.MinParallelHosts, ReconcileOptions.ParallelHostsLimit);
        var plan = new Command("plan", "Read the hosts and show what apply would change. Exit 0 no changes, 2 changes, 1 error.") { hosts, shard, parallel, format, outFile, comment, pullRequest, repo, baseRef, headRef, all, contactNewHosts };
        plan.SetAction(Sharded(services, shard, (r, part, ct) => services.GetRequiredService<PlanFeature>().RunAsync(
            new PlanRequest(r.GetValue(specs)!, r.GetValue(hosts), r.GetValue(format)!, r.GetValue(outFile), r.GetValue(comment), r.GetValue(pullRequest),
                r.GetValue(repo), r.GetValue(baseRef), r.GetValue(headRef), r.GetValue(all), r.GetValue(contactNewHosts), part, r.GetValue(parallel)), ct)));

        var confirmTimeout = new Option<int?>("--confirm-timeout")
        {
            Description = "Seconds a host waits for a firewall/interface change to be confirmed over a new SSH connection before it restores the previous state (default 120)",
        };
        Between(confirmTimeout, 5, 3600, " seconds");
        var planFile = new Option<string?>("--plan")
        {
            Description = "Apply exactly this saved JSON plan (plan --format json --out FILE): refused if the specs differ from those planned, and per host if its live state changed since",
        };
        var lockTimeout = new Option<int>("--lock-timeout")
        {
            Description = "Seconds to wait while another apply holds a host's lock (default 0: fail at once, naming the holder)",
            DefaultValueFactory = _ => 0,
        };
        Between(lockTimeout, 0, 3600, " seconds");
        var yes = new Option<bool>("--yes")
        {
            Description = "Apply without showing the plan and asking first; needed when standard input is not a terminal (scripts, CI), unless --plan gives a reviewed plan",
        };
        var apply = new Command("apply",
            "Show the plan, ask, then carry out exactly the changes shown and verify each host converged. Exit 0 success, 1 any failure or not confirmed.")
        {
            hosts, shard, parallel, confirmTimeout, planFile, lockTimeout, repo, yes,
        };
        apply.SetAction(Sharded(services, shard, (r, part, ct) => services.GetRequiredService<ApplyFeature>().RunAsync(
            new ApplyRequest(r.GetValue(specs)!, r.GetValue(hosts), r.GetValue(confirmTimeout) is { } s ? TimeSpan.FromSeconds(s) : null,
                r.GetValue(planFile), TimeSpan.FromSeconds(r.GetValue(lockTimeout)), r.GetValue(repo), r.GetValue(yes), part, r.GetValue(parallel)), ct)));

        var drift = new Command("drift", "Report every difference between desired and live state, and the hosts' health and mail traffic (Markdown, JSON, HTML, fleet.html). Exit 0 none, 2 drift or needs attention, 1 error.") { hosts, shard, parallel, reportDir, issues, mention, repo };
        drift.SetAction(Sharded(services, shard, (r, part, ct) => services.GetRequiredService<DriftFeature>().RunAsync(
            new DriftRequest(r.GetValue(specs)!, r.GetValue(hosts), r.GetValue(reportDir)!, r.GetValue(issues), r.GetValue(mention), r.GetValue(repo), part, r.GetValue(parallel)), ct)));

        var shardFiles = new Argument<string[]>("FILE") { Description = "Every shard's JSON (plan --shard K/N --format json --out FILE, or drift --shard K/N's drift.json)", Arity = ArgumentArity.OneOrMore };
        var merge = new Command("merge",
            "Join the JSON of the N shards of one plan or drift run into what the unsharded run writes: the plan (--format, --out, --comment) or the drift report (--report-dir, --issues). Refuses shards of different commits or specs, duplicate or missing shards. Exit codes as plan or drift.")
        {
            shardFiles, format, outFile, comment, pullRequest, reportDir, issues, mention,
        };
        merge.SetAction((r, ct) => services.GetRequiredService<MergeFeature>().RunAsync(
            new MergeRequest(r.GetValue(shardFiles)!,
                new PlanOutput(r.GetValue(format)!, r.GetValue(outFile), r.GetValue(comment), r.GetValue(pullRequest)),
                new DriftRequest(r.GetValue(specs)!, null, r.GetValue(reportDir)!, r.GetValue(issues), r.GetValue(mention))), ct));

        var schemaDir = new Option<string>("--dir") { Description = "The repository's schemas directory", DefaultValueFactory = _ => "./schemas" };
        var check = new Option<bool>("--check") { Description = "Only check that the files match the resource kinds; exit 1 if one differs" };
        var schemas = new Command("schemas", "Regenerate schemas/resources.schema.json and the kind enum of schemas/plan.schema.json from the resource kinds. Exit 0 ok, 1 differs (--check).")
        {
            schemaDir, check,
        };
        schemas.SetAction(r => services.GetRequiredService<SchemasFeature>().Run(r.GetValue(schemaDir)!, r.GetValue(check)));

        var explainPath = new Argument<string?>("KIND[.FIELD]")
        {
            Description = "A kind (a section of a resources file, or inventory, resources) and, after dots, a field in it; a list's items and a map's values are seen through",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var markdown = new Option<bool>("--markdown") { Description = "Print the whole reference as Markdown (docs/kinds.md is this output)" };
        var explain = new Command("explain", "Show the spec reference from the schemas: the kinds, a kind's fields and a complete example, or one field. Exit 0 ok, 1 unknown name.")
        {
            explainPath, markdown,
        };
        explain.SetAction(r => services.GetRequiredService<ExplainFeature>().Run(r.GetValue(explainPath), r.GetValue(markdown)));

        var target = new Argument<string>("HOST[:PORT]") { Description = "The host to ask, as the inventory's address and port would reach it" };
        var scanTimeout = new Option<int>("--timeout") { Description = "Seconds to wait for the host's SSH answer", DefaultValueFactory = _ => 10 };
        Between(scanTimeout, 1, 300, " seconds");
        var hostKey = new Command("host-key", "Print the inventory line pinning a host's SSH key (compare its fingerprint with the host's own first). Exit 0 ok, 1 error.")
        {
            target, scanTimeout,
        };
        hostKey.SetAction((r, ct) => services.GetRequiredService<HostKeyFeature>().RunAsync(r.GetValue(target)!, r.GetValue(scanTimeout), ct));

        var lockedHost = new Argument<string>("HOST") { Description = "The inventory's name of the host whose apply lock to clear" };
        var force = new Option<bool>("--force") { Description = "Remove the lock even though its holder may still be applying (only when you know it is gone)" };
        var unlock = new Command("unlock", "Clear an apply lock left by a run that is gone (refused while its holder may be alive, unless --force). Exit 0 ok, 1 refused or error.")
        {
            lockedHost, force,
        };
        unlock.SetAction((r, ct) => services.GetRequiredService<UnlockFeature>().RunAsync(r.GetValue(specs)!, r.GetValue(lockedHost)!, r.GetValue(force), ct));

        var workflowEnv = new Option<bool>("--workflow-env")
        {
            Description = "Print the env: lines the GitHub workflows need instead (RECONCILER_SECRET_<NAME>: ${{ secrets.<NAME> }}, and RECONCILER_SECRET_NAMES for validate)",
        };
        var secrets = new Command("secrets", "List the secret names the specs reference, one per line, reading no secret value (each is supplied as RECONCILER_SECRET_<NAME>). Exit 0 ok, 1 invalid specs.")
        {
            workflowEnv,
        };
        secrets.SetAction(r => services.GetRequiredService<SecretsFeature>().Run(r.GetValue(specs)!, r.GetValue(workflowEnv)));

        root.Add(validate);
        root.Add(plan);
        root.Add(apply);
        root.Add(drift);
        root.Add(merge);
        root.Add(schemas);
        root.Add(explain);
        root.Add(hostKey);
        root.Add(unlock);
        root.Add(secrets);
        root.Add(Watch(services, specs, hosts, parallel, confirmTimeout));
        return root;
    }

    /// <summary>
    /// The action with --shard read: a malformed K/N is one line and exit 1, like every other refusal of a run, not a
    /// parse error with the whole help.
    /// </summary>
    private static Func<ParseResult, CancellationToken, Task<int>> Sharded(
        IServiceProvider services, Option<string?> option, Func<ParseResult, Shard?, CancellationToken, Task<int>> run) =>
        async (r, ct) =>
        {
            if (r.GetValue(option) is not { } text) return await run(r, null, ct);
            if (Shard.Parse(text, out var error) is { } shard) return await run(r, shard, ct);
            await services.GetRequiredService<Terminal>().Error.WriteLineAsync(error);
            return ExitCodes.Error;
        };

    /// <summary>
    /// Refuses a value of a whole-number option outside <paramref name="min"/>..<paramref name="max"/>. A value that is not
    /// a whole number at all (abc, 99999999999) is left to the parser's own one-line error: reading it here would throw,
    /// which ended the run with a stack trace.
    /// </summary>
    private static void Between<T>(Option<T> option, int min, int max, string unit = "")
    {
        option.Validators.Add(r =>
        {
            // As the parser converts a token to int: NumberStyles.Integer, the current culture.
            if (r.Tokens.Count > 0 && !int.TryParse(r.Tokens[^1].Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.CurrentCulture, out _)) return;
            if (r.GetValueOrDefault<T>() is int value && (value < min || value > max)) r.AddError($"{option.Name} must be between {min} and {max}{unit}");
        });
    }

    private static Command Watch(IServiceProvider services, Option<string> specs, Option<string?> hosts, Option<int?> parallel, Option<int?> confirmTimeout)
    {
        var interval = new Option<TimeSpan>("--interval")
        {
            Description = "Time from the start of one cycle to the next: 30s, 5m, 1h",
            DefaultValueFactory = _ => TimeSpan.FromHours(1),
            CustomParser = r =>
            {
                if (WatchInterval.TryParse(r.Tokens.Single().Value, out var value, out var error)) return value;
                r.AddError(error!);
                return default;
            },
        };
        var autoApply = new Option<bool>("--auto-apply") { Description = "Apply the changes each cycle finds (default: only report drift)" };
        var once = new Option<bool>("--once") { Description = "Run one cycle and exit with its status (for cron): 0 ok, 2 drift, 1 error" };
        var repo = new Option<string?>("--repo") { Description = "The git working copy holding the specs; a relative --specs is taken inside it" };

        var watch = new Command("watch", "Run as a service: every interval, validate, read the hosts and report drift (or apply it with --auto-apply). Stops on SIGTERM/Ctrl-C, exit 0.")
        {
            hosts, parallel, interval, autoApply, once, repo, confirmTimeout,
        };
        watch.SetAction((r, ct) => services.GetRequiredService<WatchFeature>().RunAsync(
            new WatchRequest(r.GetValue(specs)!, r.GetValue(hosts), r.GetValue(interval), r.GetValue(autoApply), r.GetValue(once), r.GetValue(repo),
                r.GetValue(confirmTimeout) is { } s ? TimeSpan.FromSeconds(s) : null, r.GetValue(parallel)), ct));
        return watch;
    }
}
