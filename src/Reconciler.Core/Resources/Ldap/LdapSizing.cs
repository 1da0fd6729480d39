using System.Globalization;

namespace Reconciler.Core.Resources.Ldap;

/// <summary>
/// The seed's sizing rule, made explicit: the database needs what it uses now and a margin — the seed sized Berkeley DB's
/// cache as id2entry.bdb plus 10 % — so <c>max_size: auto</c> is the used size × the growth factor, rounded up to whole
/// pages, and never below the limit the database already has (olcDbMaxSize is only raised: lowering it under data the
/// database holds makes slapd refuse writes).
/// </summary>
public static class LdapSizing
{
    public sealed record Auto(long Bytes, string Explanation);

    public static Auto Compute(long pagesUsed, long pageSize, long currentMap, double growth)
    {
        var used = pagesUsed * pageSize;
        // In decimal: 3,000 × 1.1 in binary floating point is 3,300.0000000000005, which would round up a page too many.
        var pages = (long)Math.Ceiling(pagesUsed * (decimal)growth);
        var grown = pages * pageSize;
        var bytes = Math.Max(grown, currentMap);
        var explanation = $"used {Size(used)} ({pagesUsed.ToString("N0", CultureInfo.InvariantCulture)} pages × {Size(pageSize)}) × {growth.ToString(CultureInfo.InvariantCulture)} → {Size(grown)}" +
                          (grown < currentMap ? $"; olcDbMaxSize is already {Size(currentMap)}, never lowered" : "");
        return new Auto(bytes, explanation);
    }

    /// <summary>Bytes as a person reads them: KiB, MiB or GiB with one decimal where it is not whole.</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => Unit(bytes, 1L << 30, "GiB"),
        >= 1L << 20 => Unit(bytes, 1L << 20, "MiB"),
        >= 1L << 10 => Unit(bytes, 1L << 10, "KiB"),
        _ => $"{bytes} B",
    };

    private static string Unit(long bytes, long unit, string name) =>
        bytes % unit == 0 ? $"{bytes / unit} {name}" : $"{((double)bytes / unit).ToString("0.0", CultureInfo.InvariantCulture)} {name}";
}
