using System.Globalization;
using System.Text;

namespace Reconciler.Core.Resources.Ldap;

/// <summary>
/// The seed's Berkeley DB cache rules, made explicit, and the DB_CONFIG they write. <c>cachesize: auto</c> sizes the cache
/// from the live files: rule <c>run</c> (a running slapd) needs id2entry.bdb and sizes it × 1.1, rounded up to a byte;
/// rule <c>load</c> (slapadd) needs every *.bdb file together. Changing the cache costs a restart of slapd, so a cache
/// DB_CONFIG already sets is kept while it still holds what the rule needs (id2entry.bdb, or every *.bdb): it is raised to
/// the rule's size once the data outgrows it, and never lowered — not restarted for every page the data grows by.
/// </summary>
public static class LdapDbConfigSizing
{
    /// <summary>The seed's margin for a running slapd: id2entry.bdb plus 10 %.</summary>
    public const decimal RunGrowth = 1.1m;

    public const string Id2Entry = "id2entry.bdb";

    /// <summary>Files named in a load rule's explanation; past these, the rest is counted.</summary>
    private const int Listed = 6;

    /// <param name="Cache">The set_cachesize DB_CONFIG is to hold.</param>
    /// <param name="Explanation">The computation with the facts it used, for the plan.</param>
    public sealed record Auto(DbCacheSize Cache, string Explanation);

    /// <summary>
    /// The cache <c>auto</c> gives for <paramref name="rule"/> over <paramref name="databases"/>, or why it cannot be
    /// computed (no id2entry.bdb, no *.bdb at all). <paramref name="live"/> is DB_CONFIG's set_cachesize;
    /// <paramref name="showLive"/> whether its number may be shown (DB_CONFIG's text is shown to the plan's readers).
    /// </summary>
    public static (Auto? Auto, string? Problem) Compute(DbCacheRule rule, IReadOnlyList<DbDirectoryFile> databases, DbCacheSize? live, bool showLive)
    {
        long need, size;
        string computed;
        if (rule == DbCacheRule.Run)
        {
            if (databases.FirstOrDefault(d => d.Name == Id2Entry) is not { } id2entry)
            {
                return (null, $"cachesize: auto (rule run) sizes the cache from {Id2Entry}, and the directory has none" +
                              (databases.Count == 0 ? " (no *.bdb file at all: is it a back-bdb or back-hdb database directory?)" : ""));
            }

            need = id2entry.Bytes;
            // In decimal: the seed's "plus 10 %" rounded up to a whole byte, never a binary fraction's byte too many.
            size = (long)Math.Ceiling(need * RunGrowth);
            computed = $"{Id2Entry} {Bytes(need)} × {RunGrowth.ToString(CultureInfo.InvariantCulture)} → {Bytes(size)}";
        }
        else
        {
            if (databases.Count == 0)
            {
                return (null, "cachesize: auto (rule load) sizes the cache from the *.bdb files, and the directory has none (is it a back-bdb or back-hdb database directory?)");
            }

            need = size = databases.Sum(d => d.Bytes);
            var largest = databases.OrderByDescending(d => d.Bytes).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
            var terms = largest.Take(Listed).Select(d => $"{d.Name} {Bytes(d.Bytes)}").ToList();
            if (largest.Count > Listed)
            {
                terms.Add($"{largest.Count - Listed} more {Bytes(largest.Skip(Listed).Sum(d => d.Bytes))}");
            }

            computed = $"{databases.Count} *.bdb file(s): {string.Join(" + ", terms)} → {Bytes(size)}";
        }

        if (live is { } kept && kept.Total >= need && kept.Total > 0)
        {
            var what = rule == DbCacheRule.Run ? Id2Entry : "the *.bdb files";
            var shown = showLive ? $"set_cachesize {Bytes(kept.Total)}" : "set_cachesize (not shown: DB_CONFIG is not shown)";
            return (new Auto(kept, $"{computed}; DB_CONFIG's {shown} still holds {what}: kept, raised only once the data outgrows it"), null);
        }

        return (new Auto(DbCacheSize.Of(size), computed), null);
    }

    /// <summary>DB_CONFIG as declared: the cache, the log buffer, the log region, then the lines passed through, one per line.</summary>
    public static string Render(DbCacheSize? cache, long? lgBsize, long? lgRegionmax, IReadOnlyList<string> other)
    {
        var text = new StringBuilder();
        if (cache is not null) text.Append(cache.Line).Append('\n');
        if (lgBsize is { } bsize) text.Append(CultureInfo.InvariantCulture, $"set_lg_bsize {bsize}\n");
        if (lgRegionmax is { } regionmax) text.Append(CultureInfo.InvariantCulture, $"set_lg_regionmax {regionmax}\n");
        foreach (var line in other) text.Append(line).Append('\n');
        return text.ToString();
    }

    /// <summary>Bytes with thousands separators, as the plan shows sizes it computes with: "5,500,928 B".</summary>
    public static string Bytes(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture) + " B";
}
