namespace Reconciler.Core.Resources;

/// <summary>
/// The kinds in apply order: each after the kinds it names in <see cref="IResourceKind.After"/>, and otherwise in the
/// order given (the catalog's), so an order nobody asked for never changes by accident.
/// </summary>
public static class KindOrder
{
    /// <exception cref="InvalidOperationException">A kind names one that is not among <paramref name="kinds"/>, or the kinds wait on each other in a loop.</exception>
    public static IReadOnlyList<IResourceKind> Sort(IReadOnlyList<IResourceKind> kinds)
    {
        string Name(Type kind) => kind.Name;
        var present = kinds.Select(k => k.GetType()).ToHashSet();
        foreach (var kind in kinds)
        {
            if (kind.After.FirstOrDefault(a => !present.Contains(a)) is { } missing)
            {
                throw new InvalidOperationException($"{Name(kind.GetType())} is applied after {Name(missing)}, which is not in the catalog");
            }
        }

        var sorted = new List<IResourceKind>();
        var placed = new HashSet<Type>();
        var waiting = kinds.ToList();
        while (waiting.Count > 0)
        {
            // The first kind, in the given order, whose predecessors are all placed.
            var next = waiting.FirstOrDefault(k => k.After.All(placed.Contains));
            if (next is null)
            {
                throw new InvalidOperationException("the kinds' apply order has a loop: " + string.Join(", ", waiting.Select(k =>
                    $"{Name(k.GetType())} after {string.Join(" and ", k.After.Where(a => !placed.Contains(a)).Select(Name))}")));
            }

            sorted.Add(next);
            placed.Add(next.GetType());
            waiting.Remove(next);
        }

        return sorted;
    }
}
