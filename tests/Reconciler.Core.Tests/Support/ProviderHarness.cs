using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Tests.Support;

/// <summary>Drives a provider only through <see cref="IResourceProvider"/>, as the engine does.</summary>
internal static class ProviderHarness
{
    public static object Observe(IResourceProvider provider, Resource resource, params string[] factLines) =>
        Assert.Single(Parse(provider, [resource], factLines));

    /// <summary>Parses <paramref name="lines"/> as the answer to the one query the provider asks for these resources.</summary>
    public static IReadOnlyList<object> Parse(IResourceProvider provider, IReadOnlyList<Resource> resources, IReadOnlyList<string> lines) =>
        provider.ParseFacts(resources, Answers(provider, resources, (Assert.Single(provider.Queries(resources)).Unit, lines)));

    /// <summary>The answers of a host to every query the provider asks: the sections given, and nothing for the others.</summary>
    public static FactAnswers Answers(IResourceProvider provider, IReadOnlyList<Resource> resources, params (string Unit, IReadOnlyList<string> Lines)[] sections)
    {
        var answers = provider.Queries(resources).ToDictionary(q => q.Unit, _ => (IReadOnlyList<string>)[]);
        foreach (var (unit, lines) in sections)
        {
            Assert.True(answers.ContainsKey(unit), $"{provider.Kind} asks no query of unit '{unit}'");
            answers[unit] = lines;
        }

        return new FactAnswers(answers);
    }

    /// <summary>The plan of a host's resources of one kind, as the engine makes it: each diff, then the kind's group.</summary>
    public static IReadOnlyList<ResourceChange> Plan(IResourceProvider provider, IReadOnlyList<Resource> resources, IReadOnlyList<object> observed) =>
        ChangeGroups.Plan(resources.Select((r, i) => new PlannedResource(r, provider, observed[i], provider.Diff(r, observed[i]))).ToList())
            .Select(p => p.Change).ToList();

    /// <summary>
    /// The kind's group for these planned resources (the engine's view at apply time): the engine's own call, which also
    /// sees the host's other planned changes (<paramref name="neighbors"/>, of other kinds), so a group whose effects follow
    /// them is the one the engine runs.
    /// </summary>
    public static ChangeGroup? Group(
        IResourceProvider provider, IReadOnlyList<Resource> resources, IReadOnlyList<object> observed, IReadOnlyList<ResourceChange> changes,
        IReadOnlyList<PlannedChange>? neighbors = null)
    {
        var planned = resources.Select((r, i) => new PlannedChange(r, observed[i], changes[i])).ToList();
        return provider.Group(planned, [.. planned, .. neighbors ?? []]);
    }

    /// <summary>The shell script of every query the provider asks, each in its own subshell (what the host runs, without the framing).</summary>
    public static string ReadScript(IResourceProvider provider, IReadOnlyList<Resource> resources) =>
        string.Join("\n", provider.Queries(resources).Select(q => $"(\n{q.Script}\n)"));

    public static ResourceChange Diff(IResourceProvider provider, Resource resource, params string[] factLines) =>
        provider.Diff(resource, Observe(provider, resource, factLines));

    /// <summary>Runs the provider's real read script with /bin/sh and parses what it printed.</summary>
    public static IReadOnlyList<object> ReadLive(IResourceProvider provider, IReadOnlyList<Resource> resources) =>
        provider.ParseFacts(resources, RunQueries(provider, resources));

    /// <summary>Runs each of the provider's queries with /bin/sh, each answer in its own section as the engine frames them.</summary>
    public static FactAnswers RunQueries(IResourceProvider provider, IReadOnlyList<Resource> resources, string prefix = "")
    {
        var answers = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var query in provider.Queries(resources))
        {
            var result = LocalShell.Run(prefix + query.Script);
            Assert.True(result.ExitCode == 0, $"read script failed ({result.ExitCode}): {result.Stderr}");
            answers[query.Unit] = LocalShell.Lines(result.Stdout);
        }

        return new FactAnswers(answers);
    }

    public static (object Observed, ResourceChange Change) PlanLive(IResourceProvider provider, Resource resource)
    {
        var observed = Assert.Single(ReadLive(provider, [resource]));
        return (observed, provider.Diff(resource, observed));
    }

    /// <summary>The apply script exactly as the engine frames one change: library, then a relocking, set -e subshell.</summary>
    public static string ApplyScript(IResourceProvider provider, Resource resource, object observed, ResourceChange change) =>
        Frame(provider.ApplyScript(resource, observed, change));

    /// <summary>One apply step exactly as the engine frames it: library, then a relocking, set -e subshell.</summary>
    public static string Frame(string step) =>
        "umask 022\n" + ShellLibrary.Source + "\n( trap rc_relock EXIT; set -e\n" + step + "\n)\n";

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
