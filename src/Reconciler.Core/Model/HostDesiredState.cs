namespace Reconciler.Core.Model;

/// <summary>Everything one host must look like, in declaration order (the order apply follows).</summary>
public sealed record HostDesiredState(HostSpec Host, IReadOnlyList<Resource> Resources);
