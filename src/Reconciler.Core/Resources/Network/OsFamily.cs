namespace Reconciler.Core.Resources.Network;

/// <summary>Which network configuration a loopback VIP is persisted in, from /etc/debian_version or /etc/redhat-release.</summary>
public enum OsFamily
{
    Unknown,

    /// <summary>ifupdown: a stanza under /etc/network/interfaces.d.</summary>
    Debian,

    /// <summary>initscripts/NetworkManager ifcfg: /etc/sysconfig/network-scripts/ifcfg-lo:N.</summary>
    RedHat,
}
