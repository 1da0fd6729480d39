using System.Text.RegularExpressions;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Resources.MariaDb;

namespace Reconciler.Core.Tests.Providers.MariaDb;

/// <summary>
/// <see cref="MariaDbScope"/>: what the maintainers' mariadb.manage list allows, object by object. Class: an account
/// is a MariaDB object like a table — a spec may manage it only when its own <c>user:NAME@HOST</c> is listed, compared
/// exactly (no other spelling, host pattern or database entry widens it), whatever its grants.
/// </summary>
public sealed class MariaDbScopeTests
{
    private static readonly SourceLocation At = new("specs/db.yaml", 5, 7);

    private static readonly MariaDbScope Scope = new(["postfix.*", "app.users", "user:postfix@localhost", "user:app@10.0.0.%"]);

    private static MariaDbUserResource User(string name, string host, params MariaDbGrant[] grants) => new(name, host, "guess", grants, At);

    [Fact]
    public void A_user_with_no_grants_is_refused_for_the_account_itself_unless_listed()
    {
        Assert.Equal(["user:root@localhost"], Scope.Refused(User("root", "localhost")));
        Assert.Empty(Scope.Refused(User("postfix", "localhost")));
        Assert.Empty(Scope.Refused(User("app", "10.0.0.%")));
    }

    [Theory]
    [InlineData("postfix", "%")] // the listed name at another host part
    [InlineData("postfix", "LOCALHOST")] // another spelling of the host part
    [InlineData("Postfix", "localhost")] // user names are case-sensitive
    [InlineData("app", "10.0.0.1")] // an address the listed pattern matches is another account
    [InlineData("app", "%")]
    [InlineData("postfix", "localhost.")]
    public void Only_the_exact_listed_account_is_allowed(string name, string host)
    {
        Assert.False(Scope.AllowsAccount(name, host));
        Assert.Equal([$"user:{name}@{host}"], Scope.Refused(User(name, host)));
    }

    [Fact]
    public void A_listed_database_or_table_lists_no_account()
    {
        var databaseOnly = new MariaDbScope(["postfix.*", "postfix.mailbox"]);

        Assert.False(databaseOnly.AllowsAccount("postfix", "localhost"));
        Assert.Equal(["user:postfix@localhost"], databaseOnly.Refused(User("postfix", "localhost", new MariaDbGrant("postfix", null, ["SELECT"]))));
    }

    [Fact]
    public void An_account_entry_allows_no_database_and_a_listed_user_is_still_refused_for_unlisted_grant_objects()
    {
        var accountOnly = new MariaDbScope(["user:postfix@localhost"]);

        Assert.False(accountOnly.AllowsDatabase("postfix"));
        Assert.Equal(["postfix.*"], accountOnly.Refused(new MariaDbDatabaseResource("postfix", null, null, At)));
        Assert.Equal(
            ["hr.*", "app.orders"],
            Scope.Refused(User("postfix", "localhost",
                new MariaDbGrant("postfix", null, ["SELECT"]), new MariaDbGrant("hr", null, ["SELECT"]),
                new MariaDbGrant("app", "users", ["SELECT"]), new MariaDbGrant("app", "orders", ["SELECT"]))));
        Assert.Equal(
            ["user:root@localhost", "mysql.*"],
            Scope.Refused(User("root", "localhost", new MariaDbGrant("mysql", null, ["SELECT"]))));
    }

    [Fact]
    public void Tables_and_rows_keep_their_rules()
    {
        var table = new MariaDbTableResource("app", "orders", [new MariaDbColumn("id", "int")], ["id"], At);

        Assert.Equal(["app.orders"], Scope.Refused(table));
        Assert.Empty(Scope.Refused(table with { Name = "users" }));
        Assert.Empty(Scope.Refused(table with { Database = "postfix", Name = "anything" }));
        Assert.Equal(["app.*"], Scope.Refused(new MariaDbDatabaseResource("app", null, null, At)));
        Assert.True(MariaDbScope.Nothing.Refused(User("postfix", "localhost")).Count == 1);
    }

    [Theory]
    [InlineData("user:postfix@localhost", "postfix", "localhost")]
    [InlineData("user:app@10.0.0.%", "app", "10.0.0.%")]
    [InlineData("user:db_1@db-1.example:3306", "db_1", "db-1.example:3306")]
    public void An_account_entry_reads_as_its_name_and_host_part(string entry, string name, string host)
    {
        Assert.Equal<(string, string)?>((name, host), MariaDbScope.ParseAccount(entry));
        Assert.Equal(entry, MariaDbScope.AccountEntry(name, host));
        Assert.Matches(new Regex(MariaDbScope.EntryPattern), entry);
    }

    [Theory]
    [InlineData("user:postfix")]
    [InlineData("user:@localhost")]
    [InlineData("user:postfix@")]
    [InlineData("user:a@b@c")]
    [InlineData("user:po stfix@localhost")]
    [InlineData("user:postfix@local'host")]
    [InlineData("user:postfix@localhost\n")]
    [InlineData("User:postfix@localhost")]
    [InlineData("postfix@localhost")]
    [InlineData("'postfix'@'localhost'")]
    public void Anything_else_is_not_an_account_entry(string entry)
    {
        Assert.Null(MariaDbScope.ParseAccount(entry));
        Assert.DoesNotMatch(new Regex(MariaDbScope.EntryPattern), entry);
    }
}
