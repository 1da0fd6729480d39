namespace Reconciler.Core.Plans;

/// <summary>
/// What a change does beyond its attributes, said by the provider that plans it, so that views and warnings read
/// data instead of guessing from kind or attribute names.
/// </summary>
[Flags]
public enum ChangeEffects
{
    None = 0,

    /// <summary>The change carries its service's transaction and reloads the service.</summary>
    ReloadsService = 1,

    /// <summary>The change carries its service's transaction and restarts the service (an outage even when right).</summary>
    RestartsService = 2,

    /// <summary>The change deletes data the spec does not declare (e.g. table rows of an exclusive table).</summary>
    DeletesData = 4,

    /// <summary>The change touches the firewall: guarded by commit-confirm, a mistake can cut the host off.</summary>
    TouchesFirewall = 8,

    /// <summary>The change touches network interfaces: guarded by commit-confirm, a mistake can cut the host off.</summary>
    TouchesNetworkInterfaces = 16,
}
