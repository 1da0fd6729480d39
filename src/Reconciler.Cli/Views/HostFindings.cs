using Reconciler.Core.Monitoring;
using Reconciler.Core.Plans;
using Scriban.Runtime;

namespace Reconciler.Cli.Views;

/// <summary>What a monitoring run found on a host, as every drift report lists it: breached rules and unreadable kinds.</summary>
internal static class HostFindings
{
    public static IReadOnlyList<HealthFinding> Breached(HostPlan host) => host.Monitoring?.Breached.ToList() ?? [];

    public static IReadOnlyList<string> Errors(HostPlan host) => host.Monitoring?.Errors ?? [];

    /// <summary>The breached rules as template rows, each field encoded for the medium (HTML, a Markdown table cell).</summary>
    public static List<ScriptObject> Rows(HostPlan host, Func<string, string> encode) => Breached(host).Select(f => new ScriptObject
    {
        ["rule"] = encode(f.Rule),
        ["subject"] = encode(f.Subject),
        ["value"] = encode(f.Value),
        ["threshold"] = encode(f.Threshold),
        ["source"] = encode(f.Source),
    }).ToList();

    /// <summary>The run read monitored kinds (drift does; a pull request's plan never does): reports then show findings.</summary>
    public static bool Monitored(Plan plan) => plan.Hosts.Any(h => h.Monitoring is not null);

    /// <summary>A host a report gives its own section: it could not be read, differs, or has findings.</summary>
    public static bool HasSection(HostPlan host) =>
        host.Error is not null || host.Differences.Any() || host.Monitoring?.NeedsAttention == true;
}
