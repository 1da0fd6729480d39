namespace Reconciler.Core.Model;

/// <summary>The validated desired state of every host in the inventory.</summary>
public sealed record DesiredState(IReadOnlyList<HostDesiredState> Hosts)
{
    /// <summary>Hosts whose name matches a glob such as <c>web*</c>; several patterns may be comma-separated.</summary>
    public DesiredState Filter(string? hostPattern) =>
        string.IsNullOrWhiteSpace(hostPattern)
            ? this
            : new DesiredState(Hosts.Where(h => HostPattern.Matches(hostPattern, h.Host.Name)).ToList());
}
