using Reconciler.Core.Resources.Ldap;

namespace Reconciler.Specs.Tests;

/// <summary>
/// ldap_db_configs: the seed's settings read as typed values, and what would not make one DB_CONFIG directive line, a
/// managed path or a sizing rule refused at validate, at its line.
/// </summary>
public sealed class LdapDbConfigSectionTests : IDisposable
{
    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    private void Write(string configs) => _specs.WithDefaultInventory().Write("l.yaml", "kind: resources\ntarget: { group: all }\nldap_db_configs:\n" + configs);

    [Fact]
    public void The_seeds_settings_are_read_as_typed_values_with_slapd_and_rule_run_by_default()
    {
        Write("""
              - directory: /var/lib/ldap
                cachesize: { gbytes: 0, bytes: 268435456, ncache: 1 }
                lg_bsize: 2097152
                lg_regionmax: 262144
                other: ["set_flags DB_LOG_AUTOREMOVE"]
              - directory: /var/lib/ldap-accesslog
                service: slapd-legacy
                cachesize: auto
                rule: load
            """);

        var result = _specs.Load();

        Assert.Empty(result.Diagnostics);
        var configs = result.State!.Hosts[0].Resources.Cast<LdapDbConfigResource>().ToList();
        Assert.Equal(["ldap_db_config[/var/lib/ldap]", "ldap_db_config[/var/lib/ldap-accesslog]"], configs.Select(c => c.Address.ToString()));
        Assert.Equal(("slapd", new DbCacheSize(0, 268435456, 1), false, 2097152L, 262144L), (configs[0].Service, configs[0].Cache, configs[0].CacheAuto, configs[0].LgBsize!.Value, configs[0].LgRegionmax!.Value));
        Assert.Equal(["set_flags DB_LOG_AUTOREMOVE"], configs[0].Other);
        Assert.Equal(("slapd-legacy", true, DbCacheRule.Load, (DbCacheSize?)null), (configs[1].Service, configs[1].CacheAuto, configs[1].Rule, configs[1].Cache));
        Assert.Equal(DbCacheRule.Run, (configs[0] with { }).Rule);
    }

    [Theory]
    [InlineData("directory: var/lib/ldap\n    lg_bsize: 2097152", "error RC3002: path 'var/lib/ldap' is not absolute")]
    [InlineData("directory: /var/lib/../ldap\n    lg_bsize: 2097152", "error RC3002: path '/var/lib/../ldap' is not normalized (it contains '/../'); write '/var/ldap'")]
    [InlineData("directory: /var/lib/ldap/\n    lg_bsize: 2097152", "error RC3002: path '/var/lib/ldap/' is not normalized (it contains a trailing slash)")]
    [InlineData("directory: \"/var/lib/ldap\\nx\"\n    lg_bsize: 2097152", "error RC3002: path '/var/lib/ldap\\nx' contains a NUL or newline character")]
    [InlineData("directory: /\n    lg_bsize: 2097152", "the root directory is not a database directory")]
    public void A_directory_that_is_not_an_absolute_normalized_path_is_refused(string config, string error)
    {
        Write("  - " + config + "\n");

        Assert.Contains(error, _specs.Diagnostics());
    }

    [Theory]
    [InlineData("other: [\"set_flags DB_TXN_NOSYNC\\nset_lg_bsize 1\"]", "ldap_db_configs[0].other[0]")]
    [InlineData("other: [\"dn: cn=config\"]", "ldap_db_configs[0].other[0]")]
    [InlineData("other: [\"changetype: modify\"]", "ldap_db_configs[0].other[0]")]
    [InlineData("other: [\"set_flags\\tDB_TXN_NOSYNC\"]", "ldap_db_configs[0].other[0]")]
    [InlineData("other: [\"# a comment\"]", "ldap_db_configs[0].other[0]")]
    [InlineData("other: [\"alice ALL=(ALL) NOPASSWD: ALL\"]", "ldap_db_configs[0].other[0]")]
    [InlineData("other: [\"include_dir /tmp\"]", "ldap_db_configs[0].other[0]")]
    [InlineData("other: [\"set_flags  DB_TXN_NOSYNC\"]", "ldap_db_configs[0].other[0]")]
    [InlineData("other: [\"set_flags DB_TXN_NOSYNC \"]", "ldap_db_configs[0].other[0]")]
    [InlineData("rule: fast\n    cachesize: auto", "ldap_db_configs[0].rule")]
    [InlineData("cachesize: { bytes: 1073741824 }", "ldap_db_configs[0].cachesize")]
    [InlineData("cachesize: big", "ldap_db_configs[0].cachesize")]
    [InlineData("service: slapd/../../../bin/sh\n    lg_bsize: 2097152", "ldap_db_configs[0].service")]
    public void What_is_not_one_directive_line_a_rule_or_a_cache_is_refused_at_validate(string config, string at)
    {
        Write("  - directory: /var/lib/ldap\n    " + config + "\n");

        Assert.Contains($"error RC2001: {at}", _specs.Diagnostics());
    }

    [Fact]
    public void A_typed_directive_in_other_a_rule_without_auto_an_empty_cache_or_nothing_at_all_is_refused()
    {
        Write("""
              - directory: /var/lib/ldap
                cachesize: { gbytes: 0, bytes: 268435456 }
                rule: load
                other: ["set_cachesize 0 1 1", "set_lg_bsize 1"]
              - directory: /var/lib/ldap2
                cachesize: { bytes: 0 }
              - directory: /var/lib/ldap3
            """);

        var diagnostics = _specs.Diagnostics();

        Assert.Contains("rule says how cachesize: auto is computed; declare cachesize: auto, or leave rule out", diagnostics);
        Assert.Contains("set_cachesize is declared with its own key (cachesize)", diagnostics);
        Assert.Contains("set_lg_bsize is declared with its own key (lg_bsize)", diagnostics);
        Assert.Contains("cachesize: a cache of 0 bytes; give bytes (or gbytes), or auto", diagnostics);
        Assert.Contains("nothing for DB_CONFIG: declare cachesize, lg_bsize, lg_regionmax or other", diagnostics);
    }

    [Fact]
    public void One_directory_declared_twice_is_an_error()
    {
        Write("""
              - directory: /var/lib/ldap
                lg_bsize: 2097152
              - directory: /var/lib/ldap
                lg_regionmax: 262144
            """);

        Assert.Contains("ldap_db_config[/var/lib/ldap]", _specs.Diagnostics());
        Assert.Contains("error", _specs.Diagnostics());
    }
}
