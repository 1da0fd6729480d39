using Reconciler.Core.Model;
using Reconciler.Core.Resources.Network;

namespace Reconciler.Core.Resources.Network;

/// <summary>
/// A host's ARP settings must be in place before any of its VIPs comes up, and apply follows resource order: the
/// ARP resource moves to just before the host's first VIP, whichever files declared them. Each VIP learns whether
/// the host declares ARP settings at all (without them it refuses to come up on a host that would answer ARP).
/// </summary>
internal static class DsrOrdering
{
    public static IReadOnlyList<Resource> Arrange(IReadOnlyList<Resource> resources)
    {
        var firstVip = resources.ToList().FindIndex(r => r is LoopbackVipResource);
        if (firstVip < 0)
        {
            return resources;
        }

        var arp = resources.OfType<ArpSettingsResource>().ToList();
        var arranged = resources.Where(r => r is not ArpSettingsResource)
            .Select(r => r is LoopbackVipResource vip ? vip with { ArpDeclared = arp.Count > 0 } : r)
            .ToList();
        arranged.InsertRange(arranged.FindIndex(r => r is LoopbackVipResource), arp);
        return arranged;
    }
}
