using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources;

/// <summary>
/// A kind's resources filled with <see cref="HostileText"/>, for <paramref name="Provider"/>, and the fact lines that
/// make its apply do work: <paramref name="Facts"/> answer the kind's own query, <see cref="SharedFacts"/> the shared units
/// it asks (or, where simpler, <see cref="Observed"/> states stand instead).
/// </summary>
public sealed record HostileSample(string Name, IResourceProvider Provider, IReadOnlyList<Resource> Resources, IReadOnlyList<string> Facts)
{
    /// <summary>Where the samples say they were declared.</summary>
    public static SourceLocation At { get; } = new("hosts/hostile.yaml", 1, 1);

    /// <summary>Lines answering the shared fact units the provider asks (file facts, sysctl facts), by unit.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> SharedFacts { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The host's answers these facts make: every query the provider asks, answered by the lines given or by none.</summary>
    public FactAnswers Answers()
    {
        var answers = Provider.Queries(Resources).ToDictionary(q => q.Unit, q => q.Unit == Provider.Kind ? Facts : SharedFacts.GetValueOrDefault(q.Unit, []));
        return new FactAnswers(answers);
    }

    /// <summary>The observed states to diff against, one per resource, instead of parsing <see cref="Facts"/>.</summary>
    public IReadOnlyList<object>? Observed { get; init; }

    /// <summary>
    /// Whether the test also runs its apply scripts on the test machine (reading live facts first): only for a kind that
    /// touches nothing but the paths it names, all inside the scratch directory. Other kinds' scripts are read, not run.
    /// </summary>
    public bool RunApply { get; init; }

    /// <summary>
    /// Changes of other kinds on the same host, for a kind whose group effects follow them (a service restarted because
    /// a file changes): without them such a group would make no effect, and its scripts would go unchecked.
    /// </summary>
    public IReadOnlyList<Engine.PlannedChange> Neighbors { get; init; } = [];

    /// <summary>Shell run with /bin/sh in the scratch directory before the read: creates what the resources name.</summary>
    public string? Setup { get; init; }
}
