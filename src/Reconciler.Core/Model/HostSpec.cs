namespace Reconciler.Core.Model;

/// <summary>One managed host as the inventory declares it, with its variables already layered all → group → host.</summary>
public sealed record HostSpec(
    string Name,
    string Address,
    int Port,
    string User,
    string IdentityFile,
    string HostKey,
    IReadOnlyList<string> Groups,
    IReadOnlyDictionary<string, object?> Variables)
{
    /// <summary>Non-root users reach root through sudo; root runs scripts directly.</summary>
    public bool NeedsSudo => User != "root";
}
