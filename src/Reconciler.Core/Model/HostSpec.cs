namespace Reconciler.Core.Model;

/// <summary>
/// One managed host as the inventory declares it, with its variables already layered all → group → host.
/// <paramref name="IdentityFile"/> is null when the inventory names no key: the controller's ssh-agent's keys are used.
/// </summary>
public sealed record HostSpec(
    string Name,
    string Address,
    int Port,
    string User,
    string? IdentityFile,
    string HostKey,
    IReadOnlyList<string> Groups,
    IReadOnlyDictionary<string, object?> Variables)
{
    /// <summary>How long connecting may take (the inventory's connect_timeout); null: the transport's default.</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>
    /// The bastion this host is reached through (the inventory's <c>via</c>, ProxyJump semantics), itself possibly behind
    /// another; null: connected directly. Only the bastion's connection (<see cref="ConnectionOnly"/>): it is part of this
    /// host's connection, so record equality — and with it <see cref="TrustedInventory.WhyNotContacted"/> — sees a change
    /// of the bastion or of any hop before it as a change of how this host is reached.
    /// </summary>
    public HostSpec? Via { get; init; }

    /// <summary>The hops from the controller to this host, first hop first, this host last.</summary>
    public IEnumerable<HostSpec> Route => Via is null ? [this] : Via.Route.Append(this);

    private static readonly IReadOnlyList<string> NoGroups = [];
    private static readonly IReadOnlyDictionary<string, object?> NoVariables = new Dictionary<string, object?>();

    /// <summary>The entry without what only templates see: record equality then compares every connection field.</summary>
    public HostSpec ConnectionOnly() => this with { Groups = NoGroups, Variables = NoVariables };

    /// <summary>Non-root users reach root through sudo; root runs scripts directly.</summary>
    public bool NeedsSudo => User != "root";
}
