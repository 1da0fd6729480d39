namespace Reconciler.Core.Model;

/// <summary>
/// Everything one host must look like, in declaration order (the order apply follows). <see cref="Monitors"/> are the
/// host's resources of monitored kinds (health rules, mail graphs): watched by a drift run, never planned or applied,
/// and not part of the desired state's digest.
/// </summary>
public sealed record HostDesiredState(HostSpec Host, IReadOnlyList<Resource> Resources)
{
    public IReadOnlyList<Resource> Monitors { get; init; } = [];
}
