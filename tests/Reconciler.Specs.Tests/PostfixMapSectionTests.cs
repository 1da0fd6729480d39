using Reconciler.Core.Diagnostics;
using Reconciler.Core.Resources.Postfix;
using Reconciler.Core.Secrets;

namespace Reconciler.Specs.Tests;

/// <summary><c>postfix: { maps: [...] }</c>: one postfix_map per file, the password inline or a secret, query or the seed's fields.</summary>
public sealed class PostfixMapSectionTests
{
    private static SpecDirectory Specs(string map) => new SpecDirectory()
        .WithDefaultInventory()
        .Write("postfix.yaml", $"""
            kind: resources
            target: {"{"} host: web1 {"}"}
            postfix:
              main:
                virtual_alias_maps: mysql:/etc/postfix/mysql_virtual_alias_maps.cf
              maps:
                - name: mysql_virtual_alias_maps.cf
                  type: mysql
                  hosts: 127.0.0.1
                  user: postfix
                  dbname: postfix
            {map}
            """);

    private const string Seed = """
              password: { secret: mail_db_password }
              table: alias
              select_field: goto
              where_field: address
              additional_conditions: and active = '1'
              probe: { key: postmaster@example.test, expect: alice@example.test }
        """;

    [Fact]
    public void The_seed_map_reads_with_its_secret_and_renders_mysql_table_lines()
    {
        using var dir = Specs(Seed);
        var secrets = new SecretStore(new Dictionary<string, string> { ["mail_db_password"] = "pw-7c1d-db" });

        var result = new SpecLoader(secrets).Load(dir.Root);

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var map = Assert.Single(result.State!.Hosts.Single(h => h.Host.Name == "web1").Resources.OfType<PostfixMapResource>());
        Assert.Equal("postfix_map[mysql_virtual_alias_maps.cf]", map.Address.ToString());
        Assert.Equal(new PostfixMapProbe("postmaster@example.test", "alice@example.test"), map.Probe);
        Assert.Equal(
            """
            # postfix_map[mysql_virtual_alias_maps.cf]: written by reconciler; edits here are overwritten.
            hosts = 127.0.0.1
            user = postfix
            password = pw-7c1d-db
            dbname = postfix
            table = alias
            select_field = goto
            where_field = address
            additional_conditions = and active = '1'

            """,
            map.Render());
        Assert.Contains("pw-7c1d-db", secrets.ResolvedValues);
        Assert.DoesNotContain("pw-7c1d-db", map.ToString());
    }

    [Fact]
    public void An_inline_password_is_collected_as_a_secret()
    {
        using var dir = Specs("      password: inline-pw-4e2a\n      query: SELECT goto FROM alias WHERE address='%s'");

        var result = dir.Load();

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.Contains("inline-pw-4e2a", result.Secrets);
    }

    [Fact]
    public void Query_and_the_seed_fields_are_mutually_exclusive_reported_at_the_field()
    {
        using var dir = Specs("      query: SELECT goto FROM alias WHERE address='%s'\n      table: alias");

        var error = Assert.Single(dir.Load().Diagnostics);

        Assert.Equal(DiagnosticCodes.Schema, error.Code);
        Assert.Equal(dir.Path("postfix.yaml"), error.Location.File);
        Assert.Equal(13, error.Location.Line);
        Assert.Contains("'query' and 'table' are mutually exclusive", error.Message);
    }

    [Fact]
    public void A_map_without_query_needs_the_three_seed_fields()
    {
        using var dir = Specs("      table: alias");

        var error = Assert.Single(dir.Load().Diagnostics);

        Assert.Contains("missing: select_field, where_field", error.Message);
    }

    [Fact]
    public void A_secret_that_is_not_set_is_an_error_at_the_reference()
    {
        using var dir = Specs(Seed);

        var error = Assert.Single(new SpecLoader(SecretStore.Empty).Load(dir.Root).Diagnostics);

        Assert.Equal(DiagnosticCodes.SecretNotSet, error.Code);
        Assert.Equal(12, error.Location.Line);
    }

    [Fact]
    public void A_password_secret_with_a_line_break_is_refused_without_echoing_it()
    {
        using var dir = Specs(Seed);
        var secrets = new SecretStore(new Dictionary<string, string> { ["mail_db_password"] = "two\nlines-9a" });

        var error = Assert.Single(new SpecLoader(secrets).Load(dir.Root).Diagnostics);

        Assert.Equal(DiagnosticCodes.InvalidValue, error.Code);
        Assert.DoesNotContain("lines-9a", error.Message);
    }

    [Fact]
    public void Postfix_own_files_are_not_map_names()
    {
        using var dir = Map("main.cf", "mysql");

        var error = Assert.Single(dir.Load().Diagnostics);

        Assert.Equal(DiagnosticCodes.InvalidValue, error.Code);
        Assert.Contains("'main.cf' is postfix's own file", error.Message);
    }

    [Theory]
    [InlineData(".hidden.cf", "mysql")]
    [InlineData("aliases", "mysql")]
    [InlineData("x.cf", "pgsql")]
    public void Hidden_names_names_without_cf_and_other_table_types_are_schema_errors(string name, string type)
    {
        using var dir = Map(name, type);

        Assert.Equal(DiagnosticCodes.Schema, Assert.Single(dir.Load().Diagnostics).Code);
    }

    private static SpecDirectory Map(string name, string type) => new SpecDirectory().WithDefaultInventory().Write("postfix.yaml", $$"""
        kind: resources
        target: { host: web1 }
        postfix:
          maps:
            - { name: "{{name}}", type: {{type}}, hosts: h, user: u, dbname: d, query: q }
        """);
}
