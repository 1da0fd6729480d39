using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.Firewall;

/// <summary>The attributes a block set's plan names; its diff and apply script share them.</summary>
public static class BlockSetAttributeNames
{
    public static readonly AttributeName Live = new("live");
    public static readonly AttributeName Persisted = new("persisted");
}
