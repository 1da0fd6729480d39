namespace Reconciler.Core.Engine;

/// <summary>Progress events for views that show a person what is going on; the engine itself never prints.</summary>
public sealed record HostProgress(string Host, HostStage Stage);
