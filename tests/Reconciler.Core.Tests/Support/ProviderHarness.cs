using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Tests.Support;

/// <summary>Drives a provider only through <see cref="IResourceProvider"/>, as the engine does.</summary>
internal static class ProviderHarness
{
    public static object Observe(IResourceProvider provider, Resource resource, params string[] factLines) =>
        Assert.Single(provider.ParseFacts([resource], factLines));

    public static ResourceChange Diff(IResourceProvider provider, Resource resource, params string[] factLines) =>
        provider.Diff(resource, Observe(provider, resource, factLines));

    /// <summary>Runs the provider's real read script with /bin/sh and parses what it printed.</summary>
    public static IReadOnlyList<object> ReadLive(IResourceProvider provider, IReadOnlyList<Resource> resources)
    {
        var result = LocalShell.Run(provider.ReadScript(resources));
        Assert.True(result.ExitCode == 0, $"read script failed ({result.ExitCode}): {result.Stderr}");
        return provider.ParseFacts(resources, LocalShell.Lines(result.Stdout));
    }

    public static (object Observed, ResourceChange Change) PlanLive(IResourceProvider provider, Resource resource)
    {
        var observed = Assert.Single(ReadLive(provider, [resource]));
        return (observed, provider.Diff(resource, observed));
    }

    /// <summary>The apply script exactly as the engine frames one change: library, then a relocking, set -e subshell.</summary>
    public static string ApplyScript(IResourceProvider provider, Resource resource, object observed, ResourceChange change) =>
        "umask 022\n" + ShellLibrary.Source + "\n( trap rc_relock EXIT; set -e\n" + provider.ApplyScript(resource, observed, change) + "\n)\n";

    public static ScriptResult Apply(IResourceProvider provider, Resource resource, object observed, ResourceChange change) =>
        LocalShell.Run(ApplyScript(provider, resource, observed, change));

    /// <summary>Plan, apply, then plan again: returns the first plan's change and asserts the second is a no-op.</summary>
    public static ResourceChange Converge(IResourceProvider provider, Resource resource)
    {
        var (observed, change) = PlanLive(provider, resource);
        Assert.True(change.Action.ChangesHost(), $"expected a change to apply, got {change.Action} ({change.Note})");
        var result = Apply(provider, resource, observed, change);
        Assert.True(result.ExitCode == 0, $"apply failed ({result.ExitCode}): {result.Stdout}{result.Stderr}");
        var (_, after) = PlanLive(provider, resource);
        Assert.True(after.Action == ChangeAction.NoOp,
            $"did not converge: {after.Action} {string.Join("; ", after.Attributes)} {after.Note}");
        return change;
    }
}
