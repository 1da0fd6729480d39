namespace Reconciler.Core.Resources.Firewall;

/// <summary>
/// Builds chain rules from declarations in the exact text <c>iptables -S</c> / <c>iptables-save</c> print back
/// (module order, flag order, REJECT's default made explicit), so a converged chain diffs as equal, line for line.
/// Each rule carries its declared name as a comment, so <c>iptables -L</c> on the host says where it came from.
/// </summary>
public static class FirewallRules
{
    public static string ForSet(string setName, string name, RuleAction action, IpFamily family) =>
        $"-A {FirewallNames.Chain} -m set --match-set {setName} src -m comment --comment {name} {Target(action, family)}";

    public static string ForFlags(FlagRule rule, IpFamily family) =>
        $"-A {FirewallNames.Chain} -p tcp -m tcp --tcp-flags {TcpFlags.Canonical(rule.Mask)} {TcpFlags.Canonical(rule.Set)} -m comment --comment {rule.Name} {Target(rule.Action, family)}";

    private static string Target(RuleAction action, IpFamily family) => action switch
    {
        RuleAction.Reject => family == IpFamily.Ipv4 ? "-j REJECT --reject-with icmp-port-unreachable" : "-j REJECT --reject-with icmp6-port-unreachable",
        _ => "-j DROP",
    };
}
