using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.Network;

/// <summary>The attributes a dsr_arp plan names: per parameter and interface, live and persisted, plain or effective.</summary>
public static class ArpAttributeNames
{
    public static AttributeName Live(string parameter, string name) => new($"{parameter} on {name}");

    /// <summary>On a real interface the kernel uses the larger of conf.all and the interface's own value.</summary>
    public static AttributeName EffectiveLive(string parameter, string name) => new($"effective {parameter} on {name}");

    public static AttributeName Persisted(string parameter, string name) => new($"persisted {parameter} on {name}");

    public static AttributeName EffectivePersisted(string parameter, string name) => new($"persisted effective {parameter} on {name}");
}
