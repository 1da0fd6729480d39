namespace Reconciler.Core.Resources.Packages;

/// <summary>What a spec wants of a Debian package: installed, removed (config files may stay), or purged (none stay).</summary>
public enum PackageState
{
    Present,
    Absent,
    Purged,
}
