namespace Reconciler.Core.Resources.Firewall;

/// <summary>iptables and ip6tables keep separate rulesets and an ipset holds one family only, so everything is per family.</summary>
public enum IpFamily
{
    Ipv4,
    Ipv6,
}
