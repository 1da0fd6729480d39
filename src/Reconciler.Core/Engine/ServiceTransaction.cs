using Reconciler.Core.Model;

namespace Reconciler.Core.Engine;

/// <summary>
/// For services whose changes on a host apply as one transaction (postfix, dovecot). The engine runs each change in
/// its own subshell, so the first changing resource carries the whole transaction (its observed state is given the
/// list) and every other changing resource only confirms afterwards that the transaction left it in place.
/// </summary>
public static class ServiceTransaction
{
    /// <param name="changes">Whether the resource at an index needs a change.</param>
    /// <param name="carry">The carrier's observed state, given the indexes of every changing resource (its own first).</param>
    /// <param name="follow">Another changing resource's observed state, given the carrier's address.</param>
    public static IReadOnlyList<TObserved> Assign<TResource, TObserved>(
        IReadOnlyList<TResource> resources,
        IReadOnlyList<TObserved> observed,
        Func<int, bool> changes,
        Func<TObserved, IReadOnlyList<int>, TObserved> carry,
        Func<TObserved, string, TObserved> follow)
        where TResource : Resource
    {
        var changing = Enumerable.Range(0, resources.Count).Where(changes).ToList();
        if (changing.Count == 0)
        {
            return observed;
        }

        var carrier = resources[changing[0]].Address.ToString();
        return observed.Select((o, i) => !changing.Contains(i) ? o : i == changing[0] ? carry(o, changing) : follow(o, carrier)).ToList();
    }

    /// <summary>The plan note of a change another resource's transaction applies.</summary>
    public static string CarriedNote(string? carrier) => $"applied in {carrier}'s transaction";
}
