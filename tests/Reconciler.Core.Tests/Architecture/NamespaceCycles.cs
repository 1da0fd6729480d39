namespace Reconciler.Core.Tests.Architecture;

/// <summary>The strongly connected groups of a dependency graph that hold more than one node: each one a cycle.</summary>
internal static class NamespaceCycles
{
    /// <summary>Every group of nodes that reach each other, each sorted, the groups ordered by their first node.</summary>
    public static List<List<string>> Find(IEnumerable<(string From, string To)> edges)
    {
        var next = edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).ToList());
        var nodes = next.Keys.Concat(next.Values.SelectMany(v => v)).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
        bool Reaches(string from, string to)
        {
            var seen = new HashSet<string> { from };
            var queue = new Queue<string>([from]);
            while (queue.TryDequeue(out var node))
            {
                foreach (var n in next.GetValueOrDefault(node) ?? [])
                {
                    if (n == to) return true;
                    if (seen.Add(n)) queue.Enqueue(n);
                }
            }

            return false;
        }

        // Small graphs (a few dozen namespaces): mutual reachability is clear enough and fast enough.
        var cycles = new List<List<string>>();
        var placed = new HashSet<string>();
        foreach (var node in nodes.Where(n => !placed.Contains(n)))
        {
            var group = nodes.Where(other => other == node || (Reaches(node, other) && Reaches(other, node))).ToList();
            placed.UnionWith(group);
            if (group.Count > 1)
            {
                cycles.Add(group);
            }
        }

        return cycles;
    }
}
