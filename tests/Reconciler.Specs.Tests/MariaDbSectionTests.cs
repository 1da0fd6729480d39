using Reconciler.Core.Resources.MariaDb;
using Reconciler.Core.Secrets;

namespace Reconciler.Specs.Tests;

public sealed class MariaDbSectionTests : IDisposable
{
    private readonly SpecDirectory _specs = new SpecDirectory().WithInventoryManagingMariaDb("postfix.*", "user:postfix@localhost", "user:admin@web-%.example.test");

    private static readonly SecretStore Secrets = new(new Dictionary<string, string>
    {
        ["mail_db_password"] = "db-pw-3e9a",
        ["alice_password"] = "alice-pw-71c4",
        ["api_token"] = "token-0b5d",
    });

    public void Dispose() => _specs.Dispose();

    private SpecLoadResult Load(SecretStore? secrets = null) => new SpecLoader(secrets ?? Secrets).Load(_specs.Root);

    private string Diagnostics(SecretStore? secrets = null) => string.Join("\n", Load(secrets).Diagnostics.Select(d => d.ToString()));

    private const string Valid = """
        kind: resources
        target: { host: web1 }
        mariadb:
          users:
            - name: postfix
              password: { secret: mail_db_password }
              grants:
                - on: postfix.*
                  privileges: [SELECT, INSERT]
                - on: postfix.mailbox
                  privileges: [UPDATE]
            - name: admin
              host: "Web-%.Example.test"     # stored in lower case by MariaDB
              password: inline-pw-5d2f
          tables:
            - database: postfix
              name: mailbox
              columns:
                username: varchar(255) NOT NULL
                password: varchar(255) NOT NULL
                token: varchar(255) NULL
                active: tinyint(1) NOT NULL DEFAULT 1
              primary_key: [username]
              exclusive: true
              rows:
                - username: alice@example.test
                  password: { secret: alice_password, scheme: SSHA512 }
                  token: { secret: api_token }
                  active: 1
                - { username: "007", token: null }
            - database: postfix
              name: domain
              columns: { domain: "varchar(255) NOT NULL DEFAULT 'x'" }
          databases:
            - name: postfix
              charset: utf8mb4
              collation: utf8mb4_general_ci
        """;

    [Fact]
    public void A_mariadb_section_reads_into_databases_tables_users_then_rows_with_secrets_resolved()
    {
        _specs.Write("db.yaml", Valid);

        var result = Load();

        Assert.Empty(result.Diagnostics);
        var web1 = result.State!.Hosts.Single(h => h.Host.Name == "web1").Resources;
        Assert.Equal(
            ["mariadb_database[postfix]", "mariadb_table[postfix.mailbox]", "mariadb_table[postfix.domain]", "mariadb_user[postfix@localhost]",
             "mariadb_user[admin@web-%.example.test]", "mariadb_rows[postfix.mailbox]"],
            web1.Select(r => r.Address.ToString()));
        Assert.Equal(new MariaDbDatabaseResource("postfix", "utf8mb4", "utf8mb4_general_ci", web1[0].Source), web1[0]);

        var user = Assert.IsType<MariaDbUserResource>(web1[3]);
        Assert.Equal("db-pw-3e9a", user.Password);
        Assert.Equal(["postfix.*: SELECT, INSERT", "postfix.mailbox: UPDATE"], user.Grants.Select(g => $"{g.On}: {string.Join(", ", g.Privileges)}"));
        Assert.DoesNotContain("db-pw-3e9a", user.ToString());
        Assert.Equal("inline-pw-5d2f", Assert.IsType<MariaDbUserResource>(web1[4]).Password);

        var table = Assert.IsType<MariaDbTableResource>(web1[1]);
        Assert.Equal(["username", "password", "token", "active"], table.Columns.Select(c => c.Name));
        Assert.Equal("varchar(255) NOT NULL DEFAULT 'x'", Assert.IsType<MariaDbTableResource>(web1[2]).Columns[0].Definition);

        var rows = Assert.IsType<MariaDbRowsResource>(web1[5]);
        Assert.True(rows.Exclusive);
        Assert.Equal(["username"], rows.PrimaryKey);
        Assert.Equal(MariaDbValue.Ssha512("alice-pw-71c4"), rows.Rows[0]["password"]);
        Assert.Equal(MariaDbValue.Secret("token-0b5d"), rows.Rows[0]["token"]);
        Assert.Equal(MariaDbValue.Plain("1"), rows.Rows[0]["active"]);
        Assert.Equal(MariaDbValue.Plain("007"), rows.Rows[1]["username"]);
        Assert.Equal(MariaDbValue.Plain(null), rows.Rows[1]["token"]);
        Assert.DoesNotContain("alice-pw-71c4", rows.ToString());
    }

    [Fact]
    public void An_inline_password_is_a_secret_for_the_redactor_and_a_referenced_one_is_not_in_the_spec()
    {
        _specs.Write("db.yaml", Valid);

        Assert.Equal(["inline-pw-5d2f"], Load().Secrets);
    }

    [Fact]
    public void A_missing_secret_is_RC3013_at_the_reference_s_name_for_a_password_and_a_row_value()
    {
        _specs.Write("db.yaml", Valid);

        Assert.Equal(
            $"""
            {_specs.Path("db.yaml")}:6:27: error RC3013: {SecretStore.NotSetMessage("mail_db_password")}
            {_specs.Path("db.yaml")}:27:31: error RC3013: {SecretStore.NotSetMessage("alice_password")}
            """,
            Diagnostics(new SecretStore(new Dictionary<string, string> { ["api_token"] = "token-0b5d" })));
    }

    [Fact]
    public void Schema_errors_name_the_path_at_the_line_and_column()
    {
        _specs.Write("db.yaml", """
            kind: resources
            target: { host: web1 }
            mariadb:
              databases:
                - name: post-fix
              users:
                - name: postfix
                  password: { secret: mail_db_password, scheme: SSHA512 }
                  grants:
                    - on: postfix
                      privileges: [SELEKT]
              tables:
                - database: postfix
                  name: mailbox
                  columns:
                    username: "varchar(255); DROP TABLE x"
                  rows:
                    - username: { secret: alice_password, scheme: MD5 }
            """);

        Assert.Equal(
            $"""
            {_specs.Path("db.yaml")}:5:13: error RC2001: mariadb.databases[0].name: 'post-fix' does not match the pattern ^[A-Za-z0-9_]{"{"}1,64{"}"}$
            {_specs.Path("db.yaml")}:8:17: error RC2001: mariadb.users[0].password: expected string, got mapping
            {_specs.Path("db.yaml")}:8:45: error RC2001: mariadb.users[0].password: property 'scheme' is not allowed; allowed: secret
            {_specs.Path("db.yaml")}:10:15: error RC2001: mariadb.users[0].grants[0].on: 'postfix' does not match the pattern ^[A-Za-z0-9_]{"{"}1,64{"}"}\.(\*|[A-Za-z0-9_]{"{"}1,64{"}"})$
            {_specs.Path("db.yaml")}:11:24: error RC2001: mariadb.users[0].grants[0].privileges[0]: 'SELEKT' is not one of 'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP', 'REFERENCES', 'INDEX', 'ALTER', 'CREATE TEMPORARY TABLES', 'LOCK TABLES', 'EXECUTE', 'CREATE VIEW', 'SHOW VIEW', 'CREATE ROUTINE', 'ALTER ROUTINE', 'EVENT', 'TRIGGER', 'DELETE HISTORY'; did you mean 'SELECT'?
            {_specs.Path("db.yaml")}:16:19: error RC2001: mariadb.tables[0].columns.username: 'varchar(255); DROP TABLE x' does not match the pattern ^[^;`\\\r\n]*[^;`\\\s][^;`\\\r\n]*$
            {_specs.Path("db.yaml")}:18:21: error RC2001: mariadb.tables[0].rows[0].username: expected integer or null or string, got mapping
            {_specs.Path("db.yaml")}:18:55: error RC2001: mariadb.tables[0].rows[0].username.scheme: 'MD5' is not one of 'SSHA512'
            """,
            Diagnostics());
    }

    [Fact]
    public void Rows_must_name_declared_columns_carry_plain_unique_keys_and_need_a_primary_key()
    {
        _specs.Write("db.yaml", """
            kind: resources
            target: { host: web1 }
            mariadb:
              users:
                - name: postfix
                  password: pw-4c1e
                  grants:
                    - on: postfix.mailbox
                      privileges: [SELECT, LOCK TABLES]
                    - on: postfix.mailbox
                      privileges: []
              tables:
                - database: postfix
                  name: mailbox
                  columns: { username: text NOT NULL, maildir: text NOT NULL }
                  primary_key: [usrname]
                - database: postfix
                  name: alias
                  columns: { address: text NOT NULL, goto: text NOT NULL }
                  primary_key: [address]
                  rows:
                    - { address: a@example.test, gto: b@example.test }
                    - { goto: b@example.test }
                    - { address: { secret: api_token } }
                    - { address: c@example.test }
                    - { address: c@example.test }
                - database: postfix
                  name: domain
                  columns: { domain: text NOT NULL }
                  rows: []
                - database: postfix
                  name: other
                  columns: { id: int NOT NULL, ID: int }
                  exclusive: true
            """);

        Assert.Equal(
            $"""
            {_specs.Path("db.yaml")}:9:32: error RC3012: LOCK TABLES cannot be granted on a table; on 'postfix.mailbox' only SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, REFERENCES, INDEX, ALTER, CREATE VIEW, SHOW VIEW, TRIGGER, DELETE HISTORY
            {_specs.Path("db.yaml")}:10:15: error RC3011: grants on 'postfix.mailbox' are already declared for this user at {_specs.Path("db.yaml")}:8:15
            {_specs.Path("db.yaml")}:16:21: error RC3012: primary key column 'usrname' is not one of the table's columns; did you mean 'username'?
            {_specs.Path("db.yaml")}:22:38: error RC3012: 'gto' is not one of the table's columns; did you mean 'goto'?
            {_specs.Path("db.yaml")}:23:11: error RC3012: row has no value for key column 'address'
            {_specs.Path("db.yaml")}:24:22: error RC3012: key column 'address' needs a plain value: rows are matched and named by it
            {_specs.Path("db.yaml")}:26:11: error RC3011: row c@example.test is already declared at {_specs.Path("db.yaml")}:25:11
            {_specs.Path("db.yaml")}:30:7: error RC3012: 'rows' needs 'primary_key': declared rows are matched to live rows by it
            {_specs.Path("db.yaml")}:33:36: error RC3011: column 'ID' is already declared as 'id' (column names ignore case)
            {_specs.Path("db.yaml")}:34:7: error RC3012: 'exclusive' needs 'rows': it deletes the live rows that no declared row matches
            """,
            Diagnostics());
    }

    [Fact]
    public void Public_columns_are_declared_columns_never_secret_named_and_only_with_rows()
    {
        _specs.Write("db.yaml", """
            kind: resources
            target: { host: web1 }
            mariadb:
              tables:
                - database: postfix
                  name: mailbox
                  columns: { username: text, Maildir: text, password: text }
                  primary_key: [username]
                  public_columns: [maildir, password, quota]
                  rows: [ { username: a } ]
                - database: postfix
                  name: domain
                  columns: { domain: text }
                  public_columns: [domain]
            """);

        Assert.Equal(
            $"""
            {_specs.Path("db.yaml")}:9:33: error RC3012: column 'password' is named like a secret; its values are compared but never shown, so it cannot be public
            {_specs.Path("db.yaml")}:9:43: error RC3012: public column 'quota' is not one of the table's columns
            {_specs.Path("db.yaml")}:14:7: error RC3012: 'public_columns' needs 'rows': it says which live cells of declared rows a plan may show
            """,
            Diagnostics());

        _specs.Write("db.yaml", """
            kind: resources
            target: { host: web1 }
            mariadb:
              tables:
                - database: postfix
                  name: mailbox
                  columns: { username: text, Maildir: text }
                  primary_key: [username]
                  public_columns: [maildir]
                  rows: [ { username: a } ]
            """);
        Assert.Equal("", Diagnostics());
        var rows = Load().State!.Hosts[0].Resources.OfType<MariaDbRowsResource>().Single();
        Assert.Equal(["Maildir"], rows.PublicColumns);
        Assert.True(rows.IsPublic("MAILDIR"));
        Assert.False(rows.IsPublic("username"));
    }
}
