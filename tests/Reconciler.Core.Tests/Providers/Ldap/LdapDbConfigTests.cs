using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Ldap;
using Reconciler.Core.Shell;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Providers.Ldap;

/// <summary>
/// The legacy DB_CONFIG path: the seed's two sizing rules over the sizes the container fixture's Berkeley DB environment
/// has (LdapHost.BerkeleyDatabases: db5.3_load with 4 KiB pages makes them the same on every run), the DB_CONFIG text,
/// set_cachesize split at 1 GiB, a cache kept while it still holds the data, the restart flagged, clear refusals; and
/// the transaction itself run with /bin/sh against a fake init script: stop, remove the regions, start, and everything
/// put back when the start fails.
/// </summary>
public sealed class LdapDbConfigTests
{
    private static readonly SourceLocation At = new("l.yaml", 1, 1);
    private const string Dir = "/var/lib/ldap-legacy";

    /// <summary>The fixture's files as stat reports them (LdapFixtureTests prints them): id2entry.bdb the largest.</summary>
    private static readonly (string Name, long Bytes)[] FixtureFiles =
    [
        ("id2entry.bdb", 5_500_928), ("dn2id.bdb", 290_816), ("objectClass.bdb", 98_304), ("cn.bdb", 102_400), ("uid.bdb", 36_864),
    ];

    /// <summary>The seed's DB_CONFIG (LdapHost.SeedDbConfig).</summary>
    private const string SeedDbConfig = "set_cachesize 0 268435456 1\nset_lg_bsize 2097152\nset_lg_regionmax 262144\n";

    private static LdapDbConfigResource Declared(DbCacheSize? cache = null, bool auto = false, DbCacheRule rule = DbCacheRule.Run, string service = "slapd", params string[] other) =>
        new(Dir, service, cache, auto, rule, 2097152, 262144, other, At);

    private static LdapDbConfigResource Seed() => Declared(new DbCacheSize(0, 268435456, 1));

    private static IReadOnlyList<string> Facts(
        string directory = "directory\twritable\t--------------e-------", string service = "sysv\trunning",
        IEnumerable<(string Name, long Bytes)>? files = null, long regionsMade = 1_700_000_000, long? dbConfigChanged = null, string? liveCache = null) =>
    [
        "STAT\tdb5.3_stat", $"D\t0\t{directory}", $"S\t0\t{service}",
        .. (files ?? FixtureFiles).Select(f => $"F\t0\t{f.Name}\t{f.Bytes}\t1700000000"),
        .. new[] { "__db.001", "__db.002", "__db.003" }.Select(r => $"F\t0\t{r}\t286719\t{regionsMade}"),
        .. dbConfigChanged is { } m ? [$"M\t0\t{m}"] : Array.Empty<string>(),
        .. liveCache is { } k ? [$"K\t0\t{k}"] : Array.Empty<string>(),
    ];

    /// <summary>DB_CONFIG's file facts: absent, or present with this text (world-readable, so shown).</summary>
    private static IReadOnlyList<string> DbConfigFacts(string? text) => text is null
        ? ["N\t0"]
        :
        [
            "S\t0\tregular file\topenldap\t101\topenldap\t103\t644", $"H\t0\t{Model.Sha256Text.Hex(text)}",
            $"Z\t0\t{text.Length}\t{text.Count(c => c == '\n')}", $"T\t0\t{Sh.Base64(text)}", "U\t0\t101\topenldap",
        ];

    private static LdapDbConfigObserved Observe(LdapDbConfigResource declared, IReadOnlyList<string> facts, string? dbConfig = null)
    {
        IResourceProvider provider = new LdapDbConfigProvider();
        return (LdapDbConfigObserved)provider.ParseFacts([declared], new FactAnswers(new Dictionary<string, IReadOnlyList<string>>
        {
            ["ldap_db_config"] = facts,
            [FileFacts.Unit] = DbConfigFacts(dbConfig),
        }))[0];
    }

    private static ResourceChange Plan(LdapDbConfigResource declared, IReadOnlyList<string> facts, string? dbConfig = null) =>
        ((IResourceProvider)new LdapDbConfigProvider()).Diff(declared, Observe(declared, facts, dbConfig));

    private static string After(ResourceChange change) =>
        Assert.IsType<PlanValue.Text>(Assert.Single(change.Attributes, a => a.Name == LdapDbConfigAttributeNames.DbConfig).After).Value;

    [Fact]
    public void The_seeds_settings_make_the_seeds_db_config_and_the_change_is_a_restart()
    {
        var change = Plan(Seed(), Facts());

        Assert.Equal(ChangeAction.Create, change.Action);
        Assert.Equal(SeedDbConfig, After(change));
        Assert.True(change.Effects.HasFlag(ChangeEffects.RestartsService));
        Assert.Null(change.Note);
        Assert.Equal(ChangeAction.NoOp, Plan(Seed(), Facts(dbConfigChanged: 1_600_000_000), SeedDbConfig).Action);
    }

    [Fact]
    public void Rule_run_is_id2entry_plus_ten_percent_rounded_up_and_the_plan_shows_it_with_the_fixtures_size()
    {
        var change = Plan(Declared(auto: true), Facts());

        // 5,500,928 × 1.1 = 6,051,020.8: a whole byte more, never a binary fraction's.
        Assert.Equal("set_cachesize 0 6051021 1\nset_lg_bsize 2097152\nset_lg_regionmax 262144\n", After(change));
        Assert.Equal("cachesize auto (rule run): id2entry.bdb 5,500,928 B × 1.1 → 6,051,021 B", change.Note);
    }

    [Fact]
    public void Rule_load_is_every_bdb_file_together_largest_first()
    {
        var change = Plan(Declared(auto: true, rule: DbCacheRule.Load), Facts());

        Assert.Equal(6_029_312, FixtureFiles.Sum(f => f.Bytes));
        Assert.StartsWith("set_cachesize 0 6029312 1\n", After(change));
        Assert.Equal(
            "cachesize auto (rule load): 5 *.bdb file(s): id2entry.bdb 5,500,928 B + dn2id.bdb 290,816 B + cn.bdb 102,400 B + objectClass.bdb 98,304 B + uid.bdb 36,864 B → 6,029,312 B",
            change.Note);
    }

    [Fact]
    public void A_cache_above_one_gibibyte_is_split_into_gbytes_and_the_bytes_under_a_gigabyte()
    {
        Assert.Equal("set_cachesize 1 536870912 1", DbCacheSize.Of(3L << 29).Line);
        Assert.Equal("set_cachesize 1 0 1", DbCacheSize.Of(1L << 30).Line);
        Assert.Equal("set_cachesize 0 1073741823 1", DbCacheSize.Of((1L << 30) - 1).Line);

        // id2entry.bdb of 2 GiB: × 1.1 = 2,362,232,012.8 → 2,362,232,013 = 2 GiB + 214,748,365.
        var change = Plan(Declared(auto: true), Facts(files: [("id2entry.bdb", 2L << 30)]));
        Assert.StartsWith("set_cachesize 2 214748365 1\n", After(change));
        Assert.Contains("id2entry.bdb 2,147,483,648 B × 1.1 → 2,362,232,013 B", change.Note);
    }

    [Fact]
    public void Auto_keeps_a_cache_that_still_holds_the_data_and_raises_one_the_data_outgrew()
    {
        var seed = SeedDbConfig;
        // 256 MiB holds id2entry.bdb: kept, so a growing database does not restart slapd for every page.
        Assert.Equal(ChangeAction.NoOp, Plan(Declared(auto: true), Facts(liveCache: "0\t268435456\t1"), seed).Action);
        var (kept, _) = LdapDbConfigSizing.Compute(DbCacheRule.Run, [new("id2entry.bdb", 5_500_928)], new DbCacheSize(0, 268435456, 1), showLive: true);
        Assert.Equal("id2entry.bdb 5,500,928 B × 1.1 → 6,051,021 B; DB_CONFIG's set_cachesize 268,435,456 B still holds id2entry.bdb: kept, raised only once the data outgrows it", kept!.Explanation);

        // 5 MB no longer holds the 5.5 MB id2entry.bdb: raised to the rule's size.
        var small = "set_cachesize 0 5000000 1\nset_lg_bsize 2097152\nset_lg_regionmax 262144\n";
        var change = Plan(Declared(auto: true), Facts(liveCache: "0\t5000000\t1"), small);
        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.StartsWith("set_cachesize 0 6051021 1\n", After(change));
        Assert.Equal(new PlanValue.Text(small), change.Attributes[0].Before);
    }

    [Fact]
    public void Regions_a_running_service_made_before_db_config_changed_are_made_again()
    {
        var change = Plan(Seed(), Facts(regionsMade: 1_700_000_000, dbConfigChanged: 1_700_000_060), SeedDbConfig);

        Assert.Equal(ChangeAction.Update, change.Action);
        var regions = Assert.Single(change.Attributes);
        Assert.Equal(LdapDbConfigAttributeNames.Regions, regions.Name);
        Assert.Equal(new PlanValue.Text("__db.001 made 2023-11-14 22:13:20 UTC, before DB_CONFIG changed 2023-11-14 22:14:20 UTC"), regions.Before);
        Assert.True(change.Effects.HasFlag(ChangeEffects.RestartsService));
        // A stopped service makes them from DB_CONFIG when it starts: nothing to do.
        Assert.Equal(ChangeAction.NoOp, Plan(Seed(), Facts(service: "sysv\tstopped", dbConfigChanged: 1_700_000_060), SeedDbConfig).Action);
    }

    [Fact]
    public void A_running_slapd_touching_its_files_does_not_make_a_saved_plan_stale()
    {
        // The fingerprint is of the observation: it keeps the sizes only for auto, and the regions' times only when stale.
        var key = Model.PlanKey.From("ldap-db-config-tests-plan-key-0123456789").Key!;
        string Fingerprint(LdapDbConfigResource declared, long regionsMade, long id2entry) =>
            LiveFingerprint.Of(Observe(declared, Facts(files: [("id2entry.bdb", id2entry)], regionsMade: regionsMade, dbConfigChanged: 1_600_000_000), SeedDbConfig), key);

        Assert.Equal(Fingerprint(Seed(), 1_700_000_000, 5_500_928), Fingerprint(Seed(), 1_700_000_999, 5_505_024));
        Assert.Empty(Observe(Seed(), Facts()).Databases);
        // With auto the sizes are what the plan computed from: a grown id2entry.bdb is a changed host.
        Assert.NotEqual(Fingerprint(Declared(auto: true), 1_700_000_000, 5_500_928), Fingerprint(Declared(auto: true), 1_700_000_000, 5_505_024));
    }

    [Fact]
    public void A_stopped_service_gets_its_db_config_written_and_is_not_started()
    {
        var change = Plan(Seed(), Facts(service: "sysv\tstopped"));

        Assert.Equal(ChangeEffects.None, change.Effects);
        Assert.Equal("slapd is not running: DB_CONFIG is written and its next start makes the regions from it", change.Note);
    }

    [Theory]
    [InlineData("missing", "sysv\trunning", "directory /var/lib/ldap-legacy does not exist on this host")]
    [InlineData("not-directory", "sysv\trunning", "/var/lib/ldap-legacy is not a directory on this host")]
    [InlineData("directory\tread-only\t----i---------e-------", "sysv\trunning", "directory /var/lib/ldap-legacy is read-only: it is immutable (chattr +i); DB_CONFIG cannot be written nor the region files removed")]
    [InlineData("directory\tread-only\t--------------e-------", "sysv\trunning", "openldap may not write it (a read-only mount, or its mode)")]
    [InlineData("directory\twritable\t", "sysv\tmissing", "there is no service slapd on this host (no init script /etc/init.d/slapd)")]
    [InlineData("directory\twritable\t", "systemd\tmissing", "no systemd unit slapd.service")]
    [InlineData("directory\twritable\t", "sysv\tnot-lsb", "whether slapd runs cannot be told: its init script has no LSB header")]
    public void What_cannot_be_managed_is_blocked_with_a_sentence(string directory, string service, string why)
    {
        var facts = Facts(directory, service).ToList();
        facts.Add("U\t0\t101\topenldap");

        var change = Plan(Seed(), facts);

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Contains(why, change.Note);
    }

    [Fact]
    public void Auto_without_the_files_its_rule_needs_is_blocked_and_a_refused_path_is_only_its_refusal()
    {
        Assert.Contains("sizes the cache from id2entry.bdb, and the directory has none (no *.bdb file at all", Plan(Declared(auto: true), Facts(files: [])).Note);
        Assert.Contains("rule load) sizes the cache from the *.bdb files, and the directory has none", Plan(Declared(auto: true, rule: DbCacheRule.Load), Facts(files: [])).Note);
        var refused = Plan(Seed(), ["STAT\t-", "B\t0\tunsafe path transition: directory /var/lib can be written by other users (777 root:root); nothing under it is managed", "S\t0\tsysv\trunning"]);
        Assert.Equal("unsafe path transition: directory /var/lib can be written by other users (777 root:root); nothing under it is managed", refused.Note);
        Assert.Contains("'sl/apd' is not a service name", Plan(Seed() with { Service = "sl/apd" }, Facts(service: "-\tinvalid")).Note);
    }

    [Fact]
    public void A_record_out_of_the_grammar_is_a_malformed_answer()
    {
        Assert.Throws<MalformedFactsException>(() => Observe(Seed(), ["STAT\t-", "D\t0\tdirectory\twritable\t", "EVIL\t0\tx", "S\t0\tsysv\trunning"]));
        Assert.Throws<MalformedFactsException>(() => Observe(Seed(), ["STAT\t-", "D\t0\tdirectory\twritable\t"]));
        Assert.Throws<MalformedFactsException>(() => Observe(Seed(), ["STAT\t/tmp/evil", "D\t0\tdirectory\twritable\t", "S\t0\tsysv\trunning"]));
        Assert.Throws<MalformedFactsException>(() => Observe(Seed(), ["STAT\t-", "D\t0\tdirectory\twritable\t", "D\t0\tmissing", "S\t0\tsysv\trunning"]));
    }

    [Fact]
    public void Two_directories_of_one_service_are_one_step_and_one_restart()
    {
        var first = Seed();
        var second = Seed() with { Directory = "/var/lib/ldap-accesslog" };
        IResourceProvider provider = new LdapDbConfigProvider();
        var observed = new object[] { Observe(first, Facts()), Observe(second, Facts()) };

        var plan = ProviderHarness.Plan(provider, [first, second], observed);
        var group = ProviderHarness.Group(provider, [first, second], observed, [provider.Diff(first, observed[0]), provider.Diff(second, observed[1])])!;

        Assert.Equal(2, group.Steps.Count);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(group.Steps[0].Script, "^rc_ldbc_add ", System.Text.RegularExpressions.RegexOptions.Multiline).Count);
        Assert.Contains("rc_ldbc_run 'slapd' 1 'db5.3_stat' || exit 1", group.Steps[0].Script);
        Assert.Equal("one restart of slapd for 2 database directories", group.Steps[0].Note);
        Assert.Equal("applied in ldap_db_config[/var/lib/ldap-legacy]'s transaction", group.Steps[1].Note);
        var restart = Assert.Single(group.After);
        Assert.Equal(ChangeEffects.RestartsService, restart.Effects);
        Assert.Equal(
            "slapd: stopped, the region files (__db.*) removed, started; the new regions read back with db5.3_stat -m and -l; the previous DB_CONFIG put back on failure",
            Assert.Single(plan[0].Attributes, a => a.Name == LdapDbConfigAttributeNames.Restart).After is PlanValue.Text t ? t.Value : null);
        Assert.DoesNotContain(plan[1].Attributes, a => a.Name == LdapDbConfigAttributeNames.Restart);
    }

    [Fact]
    public void The_transaction_stops_removes_the_regions_starts_and_puts_everything_back_when_the_start_fails()
    {
        using var tmp = new TempDir();
        var dir = tmp["db"];
        Directory.CreateDirectory(dir);
        Directory.CreateDirectory(tmp["init"]);
        // Like back-bdb: the start opens the environment (here: makes __db.001) and refuses a DB_CONFIG it cannot use.
        File.WriteAllText(tmp["init"] + "/slapd-test", $$"""
            #!/bin/sh
            ### BEGIN INIT INFO
            # Provides: slapd-test
            ### END INIT INFO
            D={{Sh.Quote(dir)}}
            case "$1" in
              start) if grep -q '^set_flags BROKEN' "$D/DB_CONFIG" 2>/dev/null; then echo 'bdb_db_open: DB_CONFIG refused'; exit 1; fi
                     [ -f "$D/__db.001" ] || date +%s > "$D/__db.001"; echo "$1" >> "$D/../log"; : > "$D/../running" ;;
              stop) echo "$1" >> "$D/../log"; rm -f "$D/../running" ;;
              status) [ -f "$D/../running" ] ;;
            esac
            """.Replace("\r", ""));
        var prefix = $"RC_INIT_DIR={Sh.Quote(tmp["init"])}; RC_SYSTEMD_RUN={Sh.Quote(tmp["no-systemd"])}\n";
        LocalShell.Run($"""
            set -e
            chmod 0755 {Sh.Quote(tmp["init"] + "/slapd-test")}
            truncate -s 5500928 {Sh.Quote(dir + "/id2entry.bdb")}
            printf 'set_cachesize 0 1000 1\n' > {Sh.Quote(dir + "/DB_CONFIG")}
            : > {Sh.Quote(dir + "/__db.001")}; : > {Sh.Quote(dir + "/__db.002")}
            touch -d '1 hour ago' {Sh.Quote(dir + "/__db.001")}
            : > {Sh.Quote(tmp["running"])}
            """);
        IResourceProvider provider = new LdapDbConfigProvider();
        ScriptResult Apply(LdapDbConfigResource declared, out ResourceChange change)
        {
            var observed = provider.ParseFacts([declared], ProviderHarness.RunQueries(provider, [declared], prefix))[0];
            change = provider.Diff(declared, observed);
            Assert.True(change.Action.ChangesHost(), $"{change.Action}: {change.Note}");
            return LocalShell.Run(prefix + ProviderHarness.ApplyScript(provider, declared, observed, change));
        }

        var declared = new LdapDbConfigResource(dir, "slapd-test", null, true, DbCacheRule.Run, 2097152, null, [], At);
        var applied = Apply(declared, out var change);

        Assert.True(applied.ExitCode == 0, applied.Stdout + applied.Stderr);
        Assert.True(change.Effects.HasFlag(ChangeEffects.RestartsService));
        Assert.Equal("set_cachesize 0 6051021 1\nset_lg_bsize 2097152\n", File.ReadAllText(dir + "/DB_CONFIG"));
        Assert.Equal(["stop", "start"], File.ReadAllLines(tmp["log"]));
        Assert.False(File.Exists(dir + "/__db.002"), "the regions were removed");
        Assert.NotEqual("", File.ReadAllText(dir + "/__db.001"));   // made again by the start
        Assert.Contains("slapd-test restarted: the region files were removed and made again from DB_CONFIG", applied.Stdout);
        var again = provider.Diff(declared, provider.ParseFacts([declared], ProviderHarness.RunQueries(provider, [declared], prefix))[0]);
        Assert.True(again.Action == ChangeAction.NoOp, $"{again.Action}: {string.Join("; ", again.Attributes)} {again.Note}");

        // A DB_CONFIG the service refuses: the old one comes back and the service runs on it again.
        File.Delete(tmp["log"]);
        var failed = Apply(declared with { Other = ["set_flags BROKEN"] }, out _);

        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("starting slapd-test with the new DB_CONFIG failed; the previous DB_CONFIG is back and slapd-test runs", failed.Stdout);
        Assert.Contains("bdb_db_open: DB_CONFIG refused", failed.Stdout);
        Assert.Equal("set_cachesize 0 6051021 1\nset_lg_bsize 2097152\n", File.ReadAllText(dir + "/DB_CONFIG"));
        Assert.Equal(["stop", "stop", "start"], File.ReadAllLines(tmp["log"]));
        Assert.True(File.Exists(tmp["running"]));
    }

    /// <summary>
    /// Class: a plan showing what a local user could not read. auto keeps the cache a DB_CONFIG sets (the host sends its
    /// set_cachesize numbers for that); when DB_CONFIG is not world-readable, the new text that keeps them is withheld
    /// too, not shown with the live numbers in it.
    /// </summary>
    [Fact]
    public void A_kept_cache_of_a_db_config_nobody_may_read_is_not_shown_in_the_new_text()
    {
        const string hidden = "set_cachesize 0 987654321 1\n";
        var declared = Declared(auto: true, other: "set_flags DB_LOG_AUTOREMOVE");
        IResourceProvider provider = new LdapDbConfigProvider();
        var observed = provider.ParseFacts([declared], new FactAnswers(new Dictionary<string, IReadOnlyList<string>>
        {
            ["ldap_db_config"] = Facts(liveCache: "0\t987654321\t1"),
            [FileFacts.Unit] =
            [
                "S\t0\tregular file\topenldap\t101\topenldap\t103\t600", $"H\t0\t{Model.Sha256Text.Hex(hidden)}",
                $"Z\t0\t{hidden.Length}\t1", "W\t0\tnot world-readable (600 openldap:openldap)", "U\t0\t101\topenldap",
            ],
        }))[0];

        var change = provider.Diff(declared, observed);

        var after = Assert.Single(change.Attributes, a => a.Name == LdapDbConfigAttributeNames.DbConfig).After;
        Assert.Contains("keeps the cache", Assert.IsType<PlanValue.Withheld>(after).Shown);
        Assert.DoesNotContain("987", string.Join("\n", change.Attributes.Select(a => a.After.ToString() + a.Before).Append(change.Note ?? "")));
        // Apply still writes the kept cache: only the plan's view of it is withheld.
        Assert.Contains(Sh.Quote(Sh.Base64("set_cachesize 0 987654321 1\nset_lg_bsize 2097152\nset_lg_regionmax 262144\nset_flags DB_LOG_AUTOREMOVE\n")), provider.ApplyScript(declared, observed, change));
    }
}
