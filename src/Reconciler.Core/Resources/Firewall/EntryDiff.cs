namespace Reconciler.Core.Resources.Firewall;

/// <summary>
/// The difference between two member lists, summarized for a plan: counts plus the first few entries each way, never
/// the whole set (a plan for a 10,000-entry list must stay readable).
/// </summary>
public sealed record EntryDiff(IReadOnlyList<string> Added, IReadOnlyList<string> Removed, int DesiredCount)
{
    public const int Shown = 3;

    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0;

    public static EntryDiff Between(IReadOnlyCollection<string> desired, IReadOnlySet<string>? actual)
    {
        actual ??= new HashSet<string>();
        var wanted = desired as IReadOnlySet<string> ?? desired.ToHashSet(StringComparer.Ordinal);
        var added = desired.Where(e => !actual.Contains(e)).ToList();
        var removed = actual.Where(e => !wanted.Contains(e)).Order(StringComparer.Ordinal).ToList();
        return new EntryDiff(added, removed, desired.Count);
    }

    /// <summary>E.g. <c>10000 entries: +9998 −1 (added 10.0.0.1, 10.0.0.2, 10.0.0.3, …; removed 192.0.2.9)</c>.</summary>
    public string Summary()
    {
        var parts = new List<string>();
        if (Added.Count > 0) parts.Add("added " + List(Added));
        if (Removed.Count > 0) parts.Add("removed " + List(Removed));
        return $"{Count(DesiredCount)}: +{Added.Count} −{Removed.Count} ({string.Join("; ", parts)})";
    }

    public static string Count(int n) => n == 1 ? "1 entry" : $"{n} entries";

    private static string List(IReadOnlyList<string> entries) =>
        string.Join(", ", entries.Take(Shown)) + (entries.Count > Shown ? ", …" : "");
}
