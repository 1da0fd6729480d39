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

    /// <summary>Non-root users reach root through sudo; root runs scripts directly.</summary>
    public bool NeedsSudo => User != "root";
}
