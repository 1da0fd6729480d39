namespace Reconciler.Specs.Tests;

/// <summary>The server's own schemas hold accounts and password hashes: a spec can neither declare nor grant on them.</summary>
public sealed class MariaDbSystemSchemaTests : IDisposable
{
    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    [Fact]
    public void System_schemas_cannot_be_declared_read_as_tables_or_granted_on()
    {
        _specs.WithDefaultInventory().Write("db.yaml", """
            kind: resources
            target: { group: all }
            mariadb:
              databases:
                - name: MySQL
                - name: information_schema
              tables:
                - database: mysql
                  name: user
                  columns: { User: char(128) }
                  primary_key: [User]
                  rows: [ { User: root } ]
                - database: performance_schema
                  name: threads
                  columns: { id: int }
              users:
                - name: reader
                  password: x
                  grants: [ { on: sys.*, privileges: [SELECT] }, { on: postfix.*, privileges: [SELECT] } ]
            """);

        const string rule = "is a MariaDB system schema (mysql, information_schema, performance_schema, sys); it holds accounts, password hashes and server internals and cannot be declared";
        var file = _specs.Path("db.yaml");
        Assert.Equal(
            $"""
            {file}:5:13: error RC3012: 'MySQL' {rule}
            {file}:6:13: error RC3012: 'information_schema' {rule}
            {file}:8:17: error RC3012: 'mysql' {rule}
            {file}:13:17: error RC3012: 'performance_schema' {rule}
            {file}:19:23: error RC3012: 'sys' {rule}
            """,
            _specs.Diagnostics());
    }
}
