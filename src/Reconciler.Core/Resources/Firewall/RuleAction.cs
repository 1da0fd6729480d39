namespace Reconciler.Core.Resources.Firewall;

/// <summary>What a matching packet gets. REJECT answers with the family's port-unreachable, as iptables does by default.</summary>
public enum RuleAction
{
    Drop,
    Reject,
}
