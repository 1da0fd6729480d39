namespace Reconciler.Core.Model;

/// <summary>
/// The inventory a run trusts for decisions a pull request must not make for itself — which hosts the controller may
/// connect to, and where — because maintainers reviewed it: for a plan of a change, the base commit's inventory, never
/// the head's. Other per-inventory trust (which databases a spec may manage, say) is read from here too, so a pull
/// request cannot grant itself what it asks for.
/// </summary>
public sealed record TrustedInventory(IReadOnlyList<HostSpec> Hosts)
{
    /// <summary>Nothing is trusted: every host of a change is new (the base had no valid specs).</summary>
    public static readonly TrustedInventory Empty = new([]);

    /// <summary>The inventory of a reviewed desired state (the base of a change); null gives <see cref="Empty"/>.</summary>
    public static TrustedInventory Of(DesiredState? reviewed) => reviewed is null
        ? Empty
        : new(reviewed.Hosts.Select(h => h.Host).ToList())
        {
            ControllerReach = reviewed.Hosts.SelectMany(h => h.Resources).OfType<IReachedFromController>()
                .Select(r => r.ControllerReach).ToHashSet(StringComparer.Ordinal),
        };

    /// <summary>Where the reviewed specs make the controller itself reach (<see cref="IReachedFromController"/>): a change may reach there too.</summary>
    public IReadOnlySet<string> ControllerReach { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// A maintainer approved the change (the label that gates plans): its hosts may be contacted as it declares them.
    /// Only connecting is approved; anything else read from here still comes from the reviewed inventory.
    /// </summary>
    public bool ChangeApproved { get; init; }

    /// <summary>The trusted entry of a host, or null when the trusted inventory has no such host.</summary>
    public HostSpec? Host(string name) => Hosts.FirstOrDefault(h => h.Name == name);

    /// <summary>
    /// Why the controller may not connect to <paramref name="host"/> (as a change declares it), or null when the trusted
    /// inventory has the host with the same connection. Everything in a host's entry but its groups and variables
    /// decides where and how the controller connects — a field added later included — so all of it must match.
    /// </summary>
    public string? WhyNotContacted(HostSpec host)
    {
        if (ChangeApproved)
        {
            return null;
        }

        if (Host(host.Name) is not { } trusted)
        {
            return "a host this change adds (not in the base's inventory); it is contacted once the change is merged or a maintainer approves the plan";
        }

        if (trusted.ConnectionOnly() == host.ConnectionOnly())
        {
            return null;
        }

        var changed = new List<string>();
        if (trusted.Address != host.Address) changed.Add("address");
        if (trusted.Port != host.Port) changed.Add("port");
        if (trusted.User != host.User) changed.Add("user");
        if (trusted.IdentityFile != host.IdentityFile) changed.Add("identity_file");
        if (trusted.HostKey != host.HostKey) changed.Add("host_key");
        if (trusted.Via != host.Via) changed.Add(trusted.Via?.Name == host.Via?.Name ? $"via (bastion {host.Via?.Name}'s connection)" : "via");
        var what = changed.Count == 0 ? "its connection details" : string.Join(", ", changed);
        return $"this change sets {what} of the host to values not in the base's inventory; it is contacted once the change is merged or a maintainer approves the plan";
    }

    /// <summary>
    /// Why the controller may not reach out for <paramref name="resource"/> (its zone's nameservers, say) in this run, or
    /// null when it may: the reviewed specs reach the same place, a maintainer approved the change, or the resource
    /// reaches nowhere. A pull request could otherwise point a plan's packets at any address and port (the runner's own
    /// network, a metadata service) and read in the plan what answered — a port scan, as with a host it adds.
    /// </summary>
    public string? WhyNotReached(Resource resource) =>
        ChangeApproved || resource is not IReachedFromController reached || ControllerReach.Contains(reached.ControllerReach)
            ? null
            : $"not asked: this change asks {reached.ControllerReach}, which the base's specs do not; asked once the change is merged or a maintainer approves the plan";
}
