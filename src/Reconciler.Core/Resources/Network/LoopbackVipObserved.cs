namespace Reconciler.Core.Resources.Network;

/// <summary>
/// What a VIP's plan needs: every address on every device (a VIP on a real interface answers ARP), the live ARP
/// parameters of every interface, the OS family and the text of the VIP's persisted file (null when absent).
/// <paramref name="BootConfigRead"/> is false when nothing reads that file at boot (e.g. ifupdown not installed).
/// </summary>
public sealed record LoopbackVipObserved(
    bool HasIp,
    IReadOnlyList<InterfaceAddress> Addresses,
    IReadOnlyList<ArpValues> Arp,
    OsFamily Os,
    string? PersistedText,
    bool BootConfigRead);
