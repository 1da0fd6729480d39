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

    /// <summary>Hosts whose name matches a glob such as <c>web*</c>; several patterns may be comma-separated.</summary>
    public DesiredState Filter(string? hostPattern) =>
        string.IsNullOrWhiteSpace(hostPattern)
            ? this
            : this with { Hosts = Hosts.Where(h => HostPattern.Matches(hostPattern, h.Host.Name)).ToList() };
}
