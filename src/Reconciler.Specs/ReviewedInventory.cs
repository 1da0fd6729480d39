using Reconciler.Specs.Inventory;

namespace Reconciler.Specs;

/// <summary>
/// The inventory maintainers reviewed — for a plan of a change, the base commit's — as an opaque value the loader of the
/// change's specs takes instead of trusting the change's own inventory for what a pull request must not grant itself
/// (today: which MariaDB objects specs may manage). Which hosts may be contacted is decided from the base's desired
/// state (<see cref="Core.Model.TrustedInventory"/>).
/// </summary>
public sealed class ReviewedInventory
{
    internal ReviewedInventory(HostInventory inventory) => Inventory = inventory;

    internal HostInventory Inventory { get; }

    /// <summary>The base had no valid inventory: nothing is granted.</summary>
    public static ReviewedInventory Nothing { get; } =
        new(new HostInventory("(the base has no valid inventory)", [], new HashSet<string>()));
}
