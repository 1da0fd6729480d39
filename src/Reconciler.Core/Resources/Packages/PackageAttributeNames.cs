using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.Packages;

/// <summary>The attributes a package change plans; apply reads the same values.</summary>
public static class PackageAttributeNames
{
    public static readonly AttributeName State = new("state");

    public static readonly AttributeName Version = new("version");

    public static readonly AttributeName Hold = new("hold");

    /// <summary>The host's apt lists, refreshed by <c>apt-get update</c> before the apt call.</summary>
    public static readonly AttributeName Lists = new("apt lists");

    /// <summary>A package the spec does not name that apt would install or upgrade as a dependency.</summary>
    public static AttributeName AptInstalls(string package) => new($"apt installs {package}");

    /// <summary>A package the spec does not name that apt would remove (a dependent of a removed one).</summary>
    public static AttributeName AptRemoves(string package) => new($"apt removes {package}");
}
