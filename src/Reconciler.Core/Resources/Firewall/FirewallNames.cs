namespace Reconciler.Core.Resources.Firewall;

/// <summary>The names the reconciler owns on a host, and the per-family tool names.</summary>
public static class FirewallNames
{
    /// <summary>The chain holding every managed rule; INPUT jumps to it from its first rule.</summary>
    public const string Chain = "RECONCILER-INPUT";

    /// <summary>Prefix of every managed ipset: sets with it that the spec no longer has are destroyed.</summary>
    public const string SetPrefix = "rc-";

    /// <summary>Prefix of the staging set an update is restored into before the swap; it never matches <see cref="SetPrefix"/>.</summary>
    public const string TempPrefix = "rct-";

    /// <summary>ipset names are at most 31 characters; "rct-" + name + "-v4" must fit.</summary>
    public const int MaxSetNameLength = 24;

    public const string RulesDirectory = "/etc/iptables";

    public const string IpsetsFile = "/etc/iptables/ipsets";

    public static string SetName(string name, IpFamily family) => $"{SetPrefix}{name}-{Suffix(family)}";

    public static string TempSetName(string setName) => TempPrefix + setName[SetPrefix.Length..];

    public static string Suffix(IpFamily family) => family == IpFamily.Ipv4 ? "v4" : "v6";

    public static string IptablesCommand(IpFamily family) => family == IpFamily.Ipv4 ? "iptables" : "ip6tables";

    /// <summary>ipset's name for the family, as in <c>create ... family inet</c>.</summary>
    public static string IpsetFamily(IpFamily family) => family == IpFamily.Ipv4 ? "inet" : "inet6";

    public static string RulesFile(IpFamily family) => $"{RulesDirectory}/rules.{Suffix(family)}";

    /// <summary>The one jump rule the reconciler owns in INPUT, exactly as <c>iptables -S</c> prints it.</summary>
    public const string JumpRule = $"-A INPUT -j {Chain}";
}
