using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.Sysctl;

/// <summary>The attributes a sysctl's plan names: the value in its sysctl.d file and the kernel's live one.</summary>
public static class SysctlAttributeNames
{
    public static readonly AttributeName Persisted = new("persisted");
    public static readonly AttributeName Live = new("live");

    /// <summary>A later line that would override the managed file at boot, and what apply does to it.</summary>
    public static readonly AttributeName Override = new("override");
}
