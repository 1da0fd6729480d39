using System.Globalization;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;
using Xunit.Abstractions;

namespace Reconciler.Integration.Tests;

/// <summary>
/// Issue 19's legacy path on a real Berkeley DB 5.3 environment (made with Debian's db5.3-util, databases of known size
/// including id2entry.bdb) opened by the sysv stand-in for slapd 2.4 with back-bdb: the seed's DB_CONFIG is planned as
/// a restart, applied by the seed's procedure (stop, remove __db.*, start) and read back with db5.3_stat — the 256 MiB
/// cache as Berkeley DB makes it (25 % more under 500 MB), the 2 MiB log buffer, regions of a new environment — then
/// re-planned clean; a DB_CONFIG Berkeley DB refuses is rolled back with the service running, a hand edit is drift;
/// <c>cachesize: auto</c> computes the seed's numbers from the live sizes by both rules; a DB_CONFIG put in place by hand
/// under older regions is made to count by the restart; a missing and an immutable directory are one clear sentence
/// each, never a stack trace.
/// </summary>
public sealed class LdapDbConfigTests(ITestOutputHelper output)
{
    private const string Service = "slapd-legacy";

    /// <summary>268435456 as db5.3_stat -m reads it back: 25 % more for Berkeley DB's overhead, and a page ("320MB 8KB").</summary>
    private const long SeedCacheReadBack = (268435456L * 5 / 4) + (8 * 1024);

    private static string Spec(string settings, string directory = LdapHost.LegacyDirectory) =>
        $"kind: resources\ntarget: {{ host: l1 }}\nldap_db_configs:\n  - directory: {directory}\n    service: {Service}\n{settings}";

    private const string SeedSettings = "    cachesize: { gbytes: 0, bytes: 268435456, ncache: 1 }\n    lg_bsize: 2097152\n    lg_regionmax: 262144\n";

    private async Task<(LdapHost Ldap, BerkeleyEnvironment Environment, SpecsWorkspace Specs)> LegacyHostAsync()
    {
        var ldap = await LdapHost.StartAsync();
        var environment = await ldap.MakeBerkeleyEnvironmentAsync();
        await ldap.InstallBerkeleyStandInAsync(Service);
        var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("l1", ldap.Host, DebianHost.RootUser, "ldap")]);
        output.WriteLine(string.Join(", ", environment.DatabaseSizes.Select(d => $"{d.Key} {d.Value}")));
        return (ldap, environment, specs);
    }

    private async Task<CliRun> Run(SpecsWorkspace specs, params string[] command)
    {
        var run = await CliRun.ExecAsync([.. command, "--specs", specs.Directory]);
        output.WriteLine($"$ reconciler {string.Join(' ', command)}\n{run}");
        // Whatever happens, the operator reads sentences: no exception type or stack frame reaches the output.
        Assert.DoesNotContain("Exception", run.Stdout + run.Stderr);
        Assert.DoesNotMatch(@"\n\s+at [A-Z]", run.Stdout + run.Stderr);
        return run;
    }

    [Fact]
    public async Task The_seeds_db_config_is_applied_by_stop_remove_start_and_reads_back_with_db_stat()
    {
        var (ldap, environment, specs) = await LegacyHostAsync();
        await using var _ = ldap;
        using var __ = specs;
        var before = await ldap.BerkeleyRegionsAsync();

        specs.Write("hosts/l1.yaml", Spec(SeedSettings));
        var plan = await Run(specs, "plan");
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains($"+ ldap_db_config[{LdapHost.LegacyDirectory}]", plan.Stdout);
        Assert.Contains("+set_cachesize 0 268435456 1", plan.Stdout);
        Assert.Contains("+set_lg_bsize 2097152", plan.Stdout);
        Assert.Contains("+set_lg_regionmax 262144", plan.Stdout);
        Assert.Contains($"restart: (unset) → {Service}: stopped, the region files (__db.*) removed, started; the new regions read back with db5.3_stat -m and -l", plan.Stdout);

        var apply = await Run(specs, "apply", "--yes");
        Assert.True(apply.ExitCode == 0, apply.ToString());

        // The regions of a new environment, made from the seed's DB_CONFIG, by the running stand-in.
        var after = await ldap.BerkeleyRegionsAsync();
        Assert.NotEqual(before.EnvironmentId, after.EnvironmentId);
        Assert.Equal(SeedCacheReadBack, after.CacheBytes);
        Assert.Equal(335_552_512, after.CacheBytes);
        Assert.Equal(1, after.Caches);
        Assert.Equal(2_097_152, after.LogBufferBytes);
        Assert.Contains("2MB\tLog record cache size", after.LogStat);
        Assert.Equal(["__db.001", "__db.002", "__db.003"], (await ldap.RegionFilesAsync()).Keys.Order());
        Assert.Contains("is running", await ldap.RunAsync($"/etc/init.d/{Service} status"));
        Assert.Equal(LdapHost.SeedDbConfig, await ldap.RunAsync($"cat {environment.Directory}/DB_CONFIG"));
        // Written as openldap, who owns the directory: root never writes by name inside it.
        Assert.Equal("openldap 644", (await ldap.RunAsync($"stat -c '%U %a' {environment.Directory}/DB_CONFIG")).Trim());

        var again = await Run(specs, "plan");
        Assert.True(again.ExitCode == 0, again.ToString());

        // An immutable directory: DB_CONFIG cannot be written nor the regions removed, said before anything stops.
        specs.Write("hosts/l1.yaml", Spec(SeedSettings.Replace("2097152", "4194304", StringComparison.Ordinal)));
        await ldap.RunAsync($"chattr +i {environment.Directory}");
        try
        {
            var readOnly = await Run(specs, "plan");
            Assert.Contains($"! ldap_db_config[{LdapHost.LegacyDirectory}]", readOnly.Stdout);
            Assert.Contains($"directory {LdapHost.LegacyDirectory} is read-only: it is immutable (chattr +i); DB_CONFIG cannot be written nor the region files removed", readOnly.Stdout);
            var refused = await Run(specs, "apply", "--yes");
            Assert.Contains("is read-only: it is immutable (chattr +i)", refused.Stdout);
            Assert.Equal(after.EnvironmentId, (await ldap.BerkeleyRegionsAsync()).EnvironmentId);   // nothing was stopped
            Assert.Equal(LdapHost.SeedDbConfig, await ldap.RunAsync($"cat {environment.Directory}/DB_CONFIG"));
        }
        finally
        {
            await ldap.RunAsync($"chattr -i {environment.Directory}");
        }

        // Unlocked, the same change goes through: the previous DB_CONFIG shown, the log buffer read back at 4 MiB.
        var bigger = await Run(specs, "plan");
        Assert.True(bigger.ExitCode == 2, bigger.ToString());
        Assert.Contains("-set_lg_bsize 2097152", bigger.Stdout);
        Assert.Contains("+set_lg_bsize 4194304", bigger.Stdout);
        Assert.True((await Run(specs, "apply", "--yes")).ExitCode == 0);
        var raised = await ldap.BerkeleyRegionsAsync();
        Assert.Equal(4_194_304, raised.LogBufferBytes);
        Assert.Equal(SeedCacheReadBack, raised.CacheBytes);

        // A DB_CONFIG Berkeley DB refuses at open: the start fails, the previous DB_CONFIG comes back, and the service
        // runs again on regions made from it.
        var good = await ldap.RunAsync($"cat {environment.Directory}/DB_CONFIG");
        specs.Write("hosts/l1.yaml", Spec(SeedSettings.Replace("2097152", "4194304", StringComparison.Ordinal) + "    other: [\"set_not_a_directive 1\"]\n"));
        var refusedByBdb = await Run(specs, "apply", "--yes");
        Assert.True(refusedByBdb.ExitCode != 0, refusedByBdb.ToString());
        Assert.Contains($"starting {Service} with the new DB_CONFIG failed; the previous DB_CONFIG is back and {Service} runs", refusedByBdb.Stdout);
        Assert.Equal(good, await ldap.RunAsync($"cat {environment.Directory}/DB_CONFIG"));
        Assert.Contains("is running", await ldap.RunAsync($"/etc/init.d/{Service} status"));
        var back = await ldap.BerkeleyRegionsAsync();
        Assert.Equal((SeedCacheReadBack, 4_194_304L), (back.CacheBytes, back.LogBufferBytes));

        // A hand edit is drift.
        specs.Write("hosts/l1.yaml", Spec(SeedSettings.Replace("2097152", "4194304", StringComparison.Ordinal)));
        await ldap.RunAsync($"echo 'set_flags DB_TXN_NOSYNC' >> {environment.Directory}/DB_CONFIG");
        var drift = await Run(specs, "drift");
        Assert.True(drift.ExitCode == 2, drift.ToString());
        Assert.Contains("DB_CONFIG: declared 3 lines, live 4 lines", drift.Stdout);
        // The line only the host has reads as the host's, not as a removal.
        Assert.Contains("live only:     set_flags DB_TXN_NOSYNC", drift.Stdout);

        // A directory the host does not have.
        specs.Write("hosts/l1.yaml", Spec(SeedSettings, "/var/lib/ldap-missing"));
        var missing = await Run(specs, "plan");
        Assert.Contains("! ldap_db_config[/var/lib/ldap-missing]", missing.Stdout);
        Assert.Contains("directory /var/lib/ldap-missing does not exist on this host", missing.Stdout);
        Assert.Contains("is running", await ldap.RunAsync($"/etc/init.d/{Service} status"));
    }

    [Fact]
    public async Task Auto_computes_the_seeds_numbers_by_both_rules_and_regions_older_than_db_config_are_made_again()
    {
        var (ldap, environment, specs) = await LegacyHostAsync();
        await using var _ = ldap;
        using var __ = specs;
        static string Bytes(long n) => n.ToString("N0", CultureInfo.InvariantCulture) + " B";

        // Rule load (slapadd): every *.bdb file together, largest first.
        specs.Write("hosts/l1.yaml", Spec("    cachesize: auto\n    rule: load\n    lg_bsize: 2097152\n"));
        var load = await Run(specs, "plan");
        Assert.True(load.ExitCode == 2, load.ToString());
        var terms = environment.DatabaseSizes.OrderByDescending(d => d.Value).Select(d => $"{d.Key} {Bytes(d.Value)}");
        Assert.Contains($"cachesize auto (rule load): 5 *.bdb file(s): {string.Join(" + ", terms)} → {Bytes(environment.AllDatabasesBytes)}", load.Stdout);
        Assert.Contains($"+set_cachesize 0 {environment.AllDatabasesBytes} 1", load.Stdout);

        // Rule run (the default): id2entry.bdb plus 10 %, rounded up to a byte.
        var run = (long)Math.Ceiling(environment.Id2EntryBytes * 1.1m);
        Assert.Equal((5_500_928L, 6_051_021L), (environment.Id2EntryBytes, run));
        specs.Write("hosts/l1.yaml", Spec("    cachesize: auto\n    lg_bsize: 2097152\n"));
        var plan = await Run(specs, "plan");
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains($"cachesize auto (rule run): id2entry.bdb {Bytes(environment.Id2EntryBytes)} × 1.1 → {Bytes(run)}", plan.Stdout);
        Assert.Contains("id2entry.bdb 5,500,928 B × 1.1 → 6,051,021 B", plan.Stdout);

        var apply = await Run(specs, "apply", "--yes");
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal($"set_cachesize 0 {run} 1\nset_lg_bsize 2097152\n", await ldap.RunAsync($"cat {environment.Directory}/DB_CONFIG"));
        var regions = await ldap.BerkeleyRegionsAsync();
        Assert.True(regions.CacheBytes >= run, $"db5.3_stat -m reads {regions.CacheBytes} bytes");
        Assert.Equal(2_097_152, regions.LogBufferBytes);
        Assert.True((await Run(specs, "plan")).ExitCode == 0);

        // The cache DB_CONFIG now sets still holds every *.bdb file: rule load keeps it, no restart.
        specs.Write("hosts/l1.yaml", Spec("    cachesize: auto\n    rule: load\n    lg_bsize: 2097152\n"));
        var kept = await Run(specs, "plan");
        Assert.True(kept.ExitCode == 0, kept.ToString());

        // The seed's DB_CONFIG put in place by hand and never made to count (the regions are older): DB_CONFIG is as
        // declared, but only the restart makes slapd use it.
        var before = await ldap.BerkeleyRegionsAsync();
        await ldap.WriteDbConfigAsync(LdapHost.SeedDbConfig);
        await ldap.RunAsync($"touch -d '1 hour ago' {environment.Directory}/__db.001");
        specs.Write("hosts/l1.yaml", Spec(SeedSettings));
        var stale = await Run(specs, "plan");
        Assert.True(stale.ExitCode == 2, stale.ToString());
        Assert.Matches(@"regions: __db\.001 made [0-9: -]+ UTC, before DB_CONFIG changed [0-9: -]+ UTC → made again from DB_CONFIG", stale.Stdout);
        Assert.Contains($"restart: (unset) → {Service}: stopped", stale.Stdout);
        Assert.True((await Run(specs, "apply", "--yes")).ExitCode == 0);
        var made = await ldap.BerkeleyRegionsAsync();
        Assert.NotEqual(before.EnvironmentId, made.EnvironmentId);
        Assert.Equal(SeedCacheReadBack, made.CacheBytes);
        Assert.True((await Run(specs, "plan")).ExitCode == 0);
    }
}
