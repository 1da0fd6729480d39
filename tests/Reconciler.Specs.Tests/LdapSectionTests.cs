using Reconciler.Core.Resources.Ldap;

namespace Reconciler.Specs.Tests;

/// <summary>Every ldap_databases value ends up in an LDIF line: what could break LDIF, or name a secret, is refused at validate.</summary>
public sealed class LdapSectionTests : IDisposable
{
    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    private void Write(string database) => _specs.WithDefaultInventory().Write("l.yaml", "kind: resources\ntarget: { group: all }\nldap_databases:\n" + database);

    [Fact]
    public void A_database_is_read_with_auto_sizing_and_its_attributes()
    {
        Write("""
              - suffix: dc=example,dc=test
                max_size: auto
                checkpoint: "512 30"
                indexes: ["objectClass eq", "cn,sn eq,sub"]
                attributes: { olcDbNoSync: "FALSE", olcDbEnvFlags: [writemap, nometasync] }
            """);

        var result = _specs.Load();

        Assert.Empty(result.Diagnostics);
        var db = Assert.IsType<LdapDatabaseResource>(Assert.Single(result.State!.Hosts[0].Resources));
        Assert.Equal("ldap_database[dc=example,dc=test]", db.Address.ToString());
        Assert.True(db.MaxSizeAuto);
        Assert.Equal((1.1, 0.8), (db.Growth, db.FillThreshold));
        Assert.Equal(["olcDbCheckpoint", "olcDbIndex", "olcDbNoSync", "olcDbEnvFlags"], db.Attributes.Select(a => a.Key));
        Assert.Equal(["writemap", "nometasync"], db.Attributes[3].Value);
    }

    [Theory]
    [InlineData("suffix: \"dc=example\\n,dc=test\"", "ldap_databases[0].suffix")]
    [InlineData("suffix: \" dc=example,dc=test\"", "ldap_databases[0].suffix")]
    [InlineData("suffix: \"dc=exa:mple,dc=test\"", "ldap_databases[0].suffix")]
    [InlineData("suffix: dc=example,dc=test\n    indexes: [\"objectClass eq\\nolcRootPW: x\"]", "ldap_databases[0].indexes[0]")]
    [InlineData("suffix: dc=example,dc=test\n    attributes: { olcDbNoSync: \": TRUE\" }", "ldap_databases[0].attributes.olcDbNoSync")]
    [InlineData("suffix: dc=example,dc=test\n    attributes: { olcDbNoSync: \" TRUE\" }", "ldap_databases[0].attributes.olcDbNoSync")]
    [InlineData("suffix: dc=example,dc=test\n    indexes: []", "ldap_databases[0].indexes")]
    [InlineData("suffix: dc=example,dc=test\n    attributes: { olcDbNoSync: [] }", "ldap_databases[0].attributes.olcDbNoSync")]
    public void A_suffix_or_value_that_would_break_ldif_is_refused_at_validate(string database, string at)
    {
        Write("  - " + database + "\n");

        var diagnostics = _specs.Diagnostics();

        Assert.Contains($"error RC2001: {at}", diagnostics);
    }

    [Fact]
    public void An_attribute_that_holds_a_secret_or_has_its_own_key_is_refused()
    {
        Write("""
              - suffix: dc=example,dc=test
                attributes: { olcDbRootPW: "{SSHA}x", olcDbMaxSize: "1", "olcDbNo\nSync": "TRUE" }
            """);

        var diagnostics = _specs.Diagnostics();

        Assert.Contains("olcDbRootPW holds a secret: ldap_databases never reads or writes secrets", diagnostics);
        Assert.Contains("olcDbMaxSize is declared with its own key (max_size, checkpoint, indexes)", diagnostics);
        Assert.Contains("error RC3012: 'olcDbNo\\nSync' is not an olcDb* attribute", diagnostics);
        Assert.DoesNotContain("{SSHA}x", diagnostics);
    }

    /// <summary>
    /// Class: a refused attribute reached under another spelling. LDAP attribute names do not depend on case, so slapd
    /// takes olcDbDIRECTORY as olcDbDirectory: every spelling of a refused or own-key name is refused, and one attribute
    /// cannot be declared twice (two replace: blocks for one attribute) in two spellings.
    /// </summary>
    [Fact]
    public void A_refused_attribute_in_another_case_is_still_refused()
    {
        Write("""
              - suffix: dc=example,dc=test
                max_size: auto
                attributes: { olcDbDIRECTORY: /etc, olcDbmaxsize: "1", olcDbINDEX: "uid eq", olcDbNoSync: "TRUE", olcDbNOSYNC: "FALSE" }
            """);

        var diagnostics = _specs.Diagnostics();

        Assert.Contains("olcDbDIRECTORY is olcDbDirectory, where the data lives: it is not changed here", diagnostics);
        Assert.Contains("olcDbmaxsize is olcDbMaxSize, declared with its own key", diagnostics);
        Assert.Contains("olcDbINDEX is olcDbIndex, declared with its own key", diagnostics);
        Assert.Contains("olcDbNOSYNC is declared twice (attribute names do not depend on case)", diagnostics);
    }
}
