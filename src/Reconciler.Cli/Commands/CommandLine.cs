using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Reconciler.Cli.Features;

namespace Reconciler.Cli.Commands;

/// <summary>The terraform-like command tree; each command only parses options and hands off to one feature.</summary>
internal static class CommandLine
{
    public static RootCommand Build(IServiceProvider services)
    {
        var specs = new Option<string>("--specs") { Description = "Directory holding the desired state (*.yaml)", DefaultValueFactory = _ => "./specs", Recursive = true };
        var hosts = new Option<string?>("--hosts") { Description = "Only hosts whose name matches this glob (comma-separated alternatives)" };
        var format = new Option<string>("--format") { Description = "Plan output format", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "markdown", "json");
        var outFile = new Option<string?>("--out") { Description = "Write the plan to this file instead of the console" };
        var reportDir = new Option<string>("--report-dir") { Description = "Where drift.md and drift.json are written", DefaultValueFactory = _ => "./drift-report" };

        var root = new RootCommand("reconciler — keeps Linux hosts in the state a git repository of YAML declares") { specs };

        var validate = new Command("validate", "Check the specs (YAML, schemas, semantics) without contacting any host. Exit 0 valid, 1 invalid.");
        validate.SetAction(r => services.GetRequiredService<ValidateFeature>().Run(r.GetValue(specs)!));

        var plan = new Command("plan", "Read the hosts and show what apply would change. Exit 0 no changes, 2 changes, 1 error.") { hosts, format, outFile };
        plan.SetAction((r, ct) => services.GetRequiredService<PlanFeature>().RunAsync(
            new PlanRequest(r.GetValue(specs)!, r.GetValue(hosts), r.GetValue(format)!, r.GetValue(outFile)), ct));

        var confirmTimeout = new Option<int?>("--confirm-timeout")
        {
            Description = "Seconds a host waits for a firewall/interface change to be confirmed over a new SSH connection before it restores the previous state (default 120)",
        };
        confirmTimeout.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 5 or > 3600) r.AddError("--confirm-timeout must be between 5 and 3600 seconds");
        });
        var apply = new Command("apply", "Plan and carry out the changes, then verify each host converged. Exit 0 success, 1 any failure.") { hosts, confirmTimeout };
        apply.SetAction((r, ct) => services.GetRequiredService<ApplyFeature>().RunAsync(
            r.GetValue(specs)!, r.GetValue(hosts), r.GetValue(confirmTimeout) is { } s ? TimeSpan.FromSeconds(s) : null, ct));

        var drift = new Command("drift", "Report every difference between desired and live state (Markdown + JSON). Exit 0 none, 2 drift, 1 error.") { hosts, reportDir };
        drift.SetAction((r, ct) => services.GetRequiredService<DriftFeature>().RunAsync(r.GetValue(specs)!, r.GetValue(hosts), r.GetValue(reportDir)!, ct));

        root.Add(validate);
        root.Add(plan);
        root.Add(apply);
        root.Add(drift);
        return root;
    }
}
