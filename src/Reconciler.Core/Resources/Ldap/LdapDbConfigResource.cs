using System.Globalization;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Ldap;

/// <summary>Which files <c>cachesize: auto</c> sizes Berkeley DB's cache from: the seed's two rules.</summary>
public enum DbCacheRule
{
    /// <summary>For a running slapd: id2entry.bdb plus 10 %.</summary>
    Run,

    /// <summary>For slapadd: every *.bdb file of the directory.</summary>
    Load,
}

/// <summary><c>set_cachesize GBYTES BYTES NCACHE</c>: Berkeley DB's cache, <see cref="Total"/> bytes in <paramref name="Ncache"/> region(s).</summary>
public sealed record DbCacheSize(long Gbytes, long Bytes, int Ncache)
{
    public const long Gigabyte = 1L << 30;

    public long Total => (Gbytes * Gigabyte) + Bytes;

    /// <summary><paramref name="total"/> bytes split at 1 GiB, as Berkeley DB counts them (bytes under a gigabyte).</summary>
    public static DbCacheSize Of(long total, int ncache = 1) => new(total / Gigabyte, total % Gigabyte, ncache);

    /// <summary>The DB_CONFIG line.</summary>
    public string Line => string.Create(CultureInfo.InvariantCulture, $"set_cachesize {Gbytes} {Bytes} {Ncache}");
}

/// <summary>
/// The DB_CONFIG of a Berkeley DB (back-bdb / back-hdb) database directory of slapd ≤ 2.4, written whole from typed
/// settings — the cache (<see cref="Cache"/>, or <see cref="CacheAuto"/>: the seed's rule <see cref="Rule"/> over the
/// live file sizes), the log buffer and log region — and <see cref="Other"/> directive lines passed through. Applied by
/// the seed's procedure: <see cref="Service"/> stopped, the region files removed, started again, the regions checked.
/// </summary>
/// <param name="Cache">A declared size; null when <see cref="CacheAuto"/> or when the cache is not declared.</param>
public sealed record LdapDbConfigResource(
    string Directory, string Service, DbCacheSize? Cache, bool CacheAuto, DbCacheRule Rule, long? LgBsize, long? LgRegionmax,
    IReadOnlyList<string> Other, SourceLocation Source) : Resource(Source)
{
    public const string KindName = "ldap_db_config";

    public const string FileName = "DB_CONFIG";

    public const string DefaultService = "slapd";

    public override ResourceAddress Address => new(KindName, Directory);

    /// <summary>The managed file: DB_CONFIG in the database directory.</summary>
    public string DbConfigPath => Directory.TrimEnd('/') + "/" + FileName;
}
