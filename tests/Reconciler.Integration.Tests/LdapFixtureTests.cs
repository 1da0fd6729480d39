using Reconciler.Integration.Tests.Fixtures;
using Xunit.Abstractions;

namespace Reconciler.Integration.Tests;

/// <summary>
/// The OpenLDAP fixture the tests of issue #19 stand on, proven against itself: Debian 12's slapd answers on the suffix
/// and root manages cn=config out of the box; loaded entries show in mdb_stat's pages; the legacy Berkeley DB
/// environment has the files and sizes the fixture reports; and the seed's DB_CONFIG procedure (remove the regions,
/// open the environment again) reads back through db5.3_stat, directly and through the sysv stand-in for slapd 2.4.
/// </summary>
public sealed class LdapFixtureTests(ITestOutputHelper output)
{
    // Berkeley DB adds 25 % to a cache under 500 MB for its overhead, plus a page's worth: db5.3_stat -m prints "320MB 8KB".
    private const long SeedCacheReadBack = (268435456L * 5 / 4) + (8 * 1024);
    private const long SeedLogBuffer = 2097152;

    [Fact]
    public async Task Slapd_answers_on_the_suffix_and_root_manages_cn_config_over_ldapi()
    {
        await using var ldap = await LdapHost.StartAsync();

        Assert.Equal([LdapHost.Suffix], await ldap.SearchDnsAsync(scope: "base"));
        var mdb = await ldap.ConfigEntryAsync();
        Assert.Contains(new("olcDbDirectory", LdapHost.MdbDirectory), mdb);
        Assert.Contains(new("olcSuffix", LdapHost.Suffix), mdb);
        Assert.Contains(new("olcDbMaxSize", "1073741824"), mdb);   // Debian's own default, not LMDB's 10 MiB
        Assert.Contains(mdb, a => a.Key == "olcRootPW:");           // present, and base64 in slapcat's output

        await ldap.ReplaceMdbAttributeAsync("olcDbMaxSize", "2147483648");

        Assert.Contains(new("olcDbMaxSize", "2147483648"), await ldap.ConfigEntryAsync());
        Assert.Equal([LdapHost.Suffix], await ldap.SearchDnsAsync(scope: "base"));
    }

    [Fact]
    public async Task Loaded_entries_are_searchable_and_grow_the_pages_mdb_stat_reports()
    {
        await using var ldap = await LdapHost.StartAsync();
        var before = await ldap.MdbStatAsync();

        var took = await ldap.LoadEntriesAsync(10_000);

        var after = await ldap.MdbStatAsync();
        output.WriteLine($"10000 entries in {took.TotalSeconds:F1} s; pages used {before.PagesUsed} → {after.PagesUsed} ({after.UsedBytes / 1048576.0:F1} MiB), page size {after.PageSize}, map size {after.MapSize}");
        Assert.Equal(4096, after.PageSize);
        // Each entry carries a 1 KiB description: at least a quarter page each, so over 10 MiB in all.
        Assert.True(after.PagesUsed - before.PagesUsed > 2500, $"pages used {before.PagesUsed} → {after.PagesUsed}");
        Assert.True(after.UsedBytes > 10 << 20, $"used {after.UsedBytes} bytes");
        Assert.Equal(10_000, (await ldap.SearchDnsAsync(LdapHost.PeopleDn, "(objectClass=inetOrgPerson)", "one")).Count);
        Assert.True(took < TimeSpan.FromSeconds(60), $"loading 10000 entries took {took}");
        Assert.DoesNotContain(await ldap.ConfigEntryAsync(), a => a.Key == "olcDbNoSync");   // the load's shortcut is undone

        await ldap.LoadEntriesAsync(10);
        Assert.Equal(["uid=user010010," + LdapHost.PeopleDn], await ldap.SearchDnsAsync(LdapHost.PeopleDn, "(uid=user010010)", "one"));
    }

    [Fact]
    public async Task The_berkeley_environment_holds_the_databases_with_the_sizes_reported()
    {
        await using var ldap = await LdapHost.StartAsync();

        var environment = await ldap.MakeBerkeleyEnvironmentAsync();

        output.WriteLine(string.Join("\n", environment.DatabaseSizes.Select(d => $"{d.Key} {d.Value}")));
        Assert.Equal(LdapHost.BerkeleyDatabases.Select(d => d.File).Order(), environment.DatabaseSizes.Keys.Order());
        Assert.Equal(environment.DatabaseSizes.Count, environment.DatabaseSizes.Values.Distinct().Count());
        Assert.Equal(environment.DatabaseSizes.Values.Max(), environment.Id2EntryBytes);
        foreach (var (file, records, _) in LdapHost.BerkeleyDatabases)
        {
            var path = $"{environment.Directory}/{file}";
            Assert.Equal(environment.DatabaseSizes[file].ToString(System.Globalization.CultureInfo.InvariantCulture),
                (await ldap.RunAsync($"wc -c <{path}")).Trim());
            await ldap.RunAsync($"db5.3_verify -h {environment.Directory} {file}");
            Assert.Contains($"{records}\tNumber of unique keys in the tree", await ldap.RunAsync($"db5.3_stat -d {file} -h {environment.Directory}"));
        }

        // The regions exist (default settings, no DB_CONFIG yet) and everything is openldap's, as slapd would have left it.
        Assert.Equal(["__db.001", "__db.002", "__db.003"], (await ldap.RegionFilesAsync()).Keys.Order());
        Assert.Equal("openldap", (await ldap.RunAsync($"stat -c %U {environment.Directory}/* | sort -u")).Trim());
        Assert.True((await ldap.BerkeleyRegionsAsync()).CacheBytes < SeedCacheReadBack);
    }

    [Fact]
    public async Task A_new_db_config_shows_in_db_stat_only_once_the_regions_are_recreated()
    {
        await using var ldap = await LdapHost.StartAsync();
        await ldap.MakeBerkeleyEnvironmentAsync();
        var defaults = await ldap.BerkeleyRegionsAsync();
        var regionsBefore = await ldap.RegionFilesAsync();

        await ldap.WriteDbConfigAsync(LdapHost.SeedDbConfig);
        Assert.Equal(defaults, await ldap.BerkeleyRegionsAsync() with { MpoolStat = defaults.MpoolStat, LogStat = defaults.LogStat });   // the regions keep what they were made with

        await ldap.RecreateBerkeleyRegionsAsync();

        var seed = await ldap.BerkeleyRegionsAsync();
        output.WriteLine($"defaults: cache {defaults.CacheBytes}, log buffer {defaults.LogBufferBytes}, log region {defaults.LogRegionBytes}");
        output.WriteLine($"seed DB_CONFIG: cache {seed.CacheBytes} in {seed.Caches}, log buffer {seed.LogBufferBytes}, log region {seed.LogRegionBytes}");
        Assert.Equal(SeedCacheReadBack, seed.CacheBytes);
        Assert.Equal(1, seed.Caches);
        Assert.Equal(SeedLogBuffer, seed.LogBufferBytes);
        Assert.Contains("320MB 8KB\tTotal cache size", seed.MpoolStat);
        Assert.Contains("2MB\tLog record cache size", seed.LogStat);
        Assert.NotEqual(defaults.EnvironmentId, seed.EnvironmentId);
        var regionsAfter = await ldap.RegionFilesAsync();
        output.WriteLine($"region files: {string.Join(", ", regionsBefore.Select(r => $"{r.Key} {r.Value} → {regionsAfter[r.Key]}"))}");
        Assert.Equal(regionsBefore.Keys.Order(), regionsAfter.Keys.Order());
        Assert.True(regionsAfter["__db.002"] > regionsBefore["__db.002"], "the cache region grew");
    }

    [Fact]
    public async Task The_stand_in_service_applies_db_config_through_the_seeds_stop_remove_start()
    {
        await using var ldap = await LdapHost.StartAsync();
        var environment = await ldap.MakeBerkeleyEnvironmentAsync();
        await ldap.InstallBerkeleyStandInAsync();
        Assert.Contains("is running", await ldap.RunAsync("/etc/init.d/slapd-legacy status"));
        var defaults = await ldap.BerkeleyRegionsAsync();

        // DB_CONFIG older than the regions: a restart alone joins them as they are (back-bdb compares the mtimes).
        await ldap.WriteDbConfigAsync(LdapHost.SeedDbConfig);
        await ldap.RunAsync($"touch -d '1 hour ago' {environment.Directory}/DB_CONFIG && /etc/init.d/slapd-legacy restart");
        var joined = await ldap.BerkeleyRegionsAsync();
        Assert.Equal((defaults.EnvironmentId, defaults.CacheBytes), (joined.EnvironmentId, joined.CacheBytes));

        // The seed's procedure: stop slapd, remove __db.*, start.
        await ldap.RunAsync($"/etc/init.d/slapd-legacy stop && rm -f {environment.Directory}/__db.* && /etc/init.d/slapd-legacy start");

        var seed = await ldap.BerkeleyRegionsAsync();
        Assert.NotEqual(defaults.EnvironmentId, seed.EnvironmentId);
        Assert.Equal(SeedCacheReadBack, seed.CacheBytes);
        Assert.Equal(SeedLogBuffer, seed.LogBufferBytes);
        Assert.Contains("is running", await ldap.RunAsync("/etc/init.d/slapd-legacy status"));
        Assert.Equal("openldap", (await ldap.RunAsync($"stat -c %U {environment.Directory}/__db.* | sort -u")).Trim());
    }
}
