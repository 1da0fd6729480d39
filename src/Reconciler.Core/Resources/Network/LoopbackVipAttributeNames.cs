using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.Network;

/// <summary>The attributes a loopback VIP's plan names; its diff and apply script share them.</summary>
public static class LoopbackVipAttributeNames
{
    public static readonly AttributeName Live = new("live");
    public static readonly AttributeName Replaces = new("replaces");

    /// <summary>The VIP's boot configuration, named with the file it lives in.</summary>
    public static AttributeName Persisted(string path) => new($"persisted ({path})");
}
