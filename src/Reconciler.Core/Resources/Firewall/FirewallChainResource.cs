using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Firewall;

/// <summary>
/// The managed chain of one family (<c>iptables[filter/RECONCILER-INPUT]</c>, <c>ip6tables[...]</c>), its jump from
/// INPUT, and the family's <c>rc-</c> ipsets: the chain is rewritten from <paramref name="Rules"/> as a whole, and
/// <c>rc-</c> sets not in <paramref name="Sets"/> are destroyed once the chain no longer uses them.
/// </summary>
/// <param name="Rules">Rules exactly as <c>iptables -S</c> prints them, in chain order.</param>
public sealed record FirewallChainResource(IpFamily Family, IReadOnlyList<string> Rules, IReadOnlyList<string> Sets, SourceLocation Source) : Resource(Source)
{
    public override ResourceAddress Address => new(FirewallNames.IptablesCommand(Family), $"filter/{FirewallNames.Chain}");
}
