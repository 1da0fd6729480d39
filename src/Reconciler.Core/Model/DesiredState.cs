namespace Reconciler.Core.Model;

/// <summary>The validated desired state of every host in the inventory.</summary>
public sealed record DesiredState(IReadOnlyList<HostDesiredState> Hosts)
{
    /// <summary>The git commit these specs were read from; null when they came from a plain directory.</summary>
    public string? Commit { get; init; }

    /// <summary>
    /// The inventory trusted for connecting (a plan of a change: the base's); a host it does not trust as declared here
    /// is planned without being contacted. Null: this state's own inventory is trusted (a plan of a directory or of a
    /// commit, an apply, drift).
    /// </summary>
    public TrustedInventory? Trusted { get; init; }

    /// <summary>
    /// How many hosts a run works on at once: the command's --parallel, else the inventory's <c>defaults.parallel</c>;
    /// null: <see cref="Engine.ReconcileOptions.MaxParallelHosts"/>.
    /// </summary>
    public int? Parallel { get; init; }

    /// <summary>This state with the command's <paramref name="parallel"/> (--parallel) over the inventory's, when given.</summary>
    public DesiredState WithParallel(int? parallel) => parallel is null ? this : this with { Parallel = parallel };

    /// <summary>
    /// Why <paramref name="hosts"/> is refused over these hosts (<see cref="HostSelection.Problem"/>: a term that selects
    /// nothing), or null. Checked before any host is contacted, against every host the specs declare.
    /// </summary>
    public string? SelectionProblem(string? hosts) => HostSelection.Parse(hosts)?.Problem(Hosts.Select(h => h.Host).ToList());

    /// <summary>The hosts <paramref name="hosts"/> selects (<see cref="HostSelection"/>: names, groups, globs); all when empty.</summary>
    public DesiredState Filter(string? hosts) =>
        HostSelection.Parse(hosts) is { } selection ? this with { Hosts = Hosts.Where(h => selection.Selects(h.Host)).ToList() } : this;

    /// <summary>The hosts of this state that <paramref name="shard"/> owns, in the same order; all when null.</summary>
    public DesiredState Sharded(Shard? shard) =>
        shard is null ? this : this with { Hosts = Hosts.Where(h => shard.Owns(h.Host.Name)).ToList() };
}
