using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.Firewall;

/// <summary>The attributes a firewall chain's plan names; its diff and apply script share them.</summary>
public static class FirewallChainAttributeNames
{
    public static readonly AttributeName Chain = new("chain");
    public static readonly AttributeName Rule = new("rule");
    public static readonly AttributeName Jump = new("jump");

    /// <summary>A set the live chain used and the spec no longer declares: destroyed once the chain no longer references it.</summary>
    public static readonly AttributeName StaleSet = new("stale set");

    public static readonly AttributeName Persisted = new("persisted");
    public static readonly AttributeName PersistedRule = new("persisted rule");
    public static readonly AttributeName PersistedJump = new("persisted jump");
}
