using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.Permissions;

/// <summary>The attribute a permissions plan names: the bits it removes, as "group/other write" and the like.</summary>
public static class PermissionsAttributeNames
{
    public static AttributeName Removed(int mask) => new(RemovedBits.Describe(mask));
}
