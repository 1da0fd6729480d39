using System.Text;
using System.Text.RegularExpressions;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.MariaDb;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Providers.MariaDb;

/// <summary>
/// Fact lines as MariaDbProvider's query prints them (names and values hex-encoded, NULL as <c>NULL</c>):
/// <c>D name charset collation</c>, <c>C db table column</c> per live column, <c>U user host plugin auth</c>,
/// <c>G grantee db table|* privilege</c>, per rows resource <c>H index col,col</c> and <c>R index value...</c>;
/// <c>X reason</c> when MariaDB could not be read.
/// </summary>
public partial class MariaDbProviderTests
{
    private const string DbPassword = "db-pass-7Qx!";
    private const string AlicePassword = "alice-pass-K9z#";
    private const string BobPassword = "bob-pass-W2m%";

    private readonly IResourceProvider _provider = new MariaDbProvider();
    private static readonly SourceLocation At = new("specs/mail/mariadb.yaml", 4, 7);

    private static readonly MariaDbDatabaseResource Database = new("postfix", "utf8mb4", null, At);

    private static readonly MariaDbTableResource Mailbox = new("postfix", "mailbox",
    [
        new MariaDbColumn("username", "varchar(255) NOT NULL"),
        new MariaDbColumn("password", "varchar(255) NOT NULL"),
        new MariaDbColumn("maildir", "varchar(255) NOT NULL"),
        new MariaDbColumn("active", "tinyint(1) NOT NULL DEFAULT 1"),
    ], ["username"], At);

    private static readonly MariaDbUserResource User = new("postfix", "localhost", DbPassword, [new MariaDbGrant("postfix", null, ["SELECT"])], At);

    private static MariaDbRow Row(string username, MariaDbValue password, string maildir, string? active = "1") => new(
    [
        new MariaDbCell("username", MariaDbValue.Plain(username)),
        new MariaDbCell("password", password),
        new MariaDbCell("maildir", MariaDbValue.Plain(maildir)),
        new MariaDbCell("active", MariaDbValue.Plain(active)),
    ], At);

    private static MariaDbRowsResource Rows(bool exclusive = false, params string[] publicColumns) => new("postfix", "mailbox", ["username"], exclusive,
    [
        Row("alice@example.test", MariaDbValue.Ssha512(AlicePassword), "example.test/alice/"),
        Row("bob@example.test", MariaDbValue.Ssha512(BobPassword), "example.test/bob/"),
    ], At) { PublicColumns = publicColumns };

    private static string H(string text) => Convert.ToHexString(Encoding.UTF8.GetBytes(text));

    private const string Reachable = "";

    private static readonly string[] MailboxColumns =
        [$"C\t{H("postfix")}\t{H("mailbox")}\t{H("username")}", $"C\t{H("postfix")}\t{H("mailbox")}\t{H("password")}",
         $"C\t{H("postfix")}\t{H("mailbox")}\t{H("maildir")}", $"C\t{H("postfix")}\t{H("mailbox")}\t{H("active")}"];

    private static readonly string PostfixDatabase = $"D\t{H("postfix")}\tutf8mb4\tutf8mb4_general_ci";

    private static string Header(int index, params string[] columns) => $"H\t{index}\t{string.Join(",", columns.Select(H))}";

    private static string Live(int index, params string?[] values) => $"R\t{index}\t{string.Join("\t", values.Select(v => v is null ? "NULL" : H(v)))}";

    /// <summary>A live key of an exclusive table, as the read prints every one (declared or not).</summary>
    private static string Key(int index, params string?[] values) => $"K\t{index}\t{string.Join("\t", values.Select(v => v is null ? "NULL" : H(v)))}";

    private static string LiveUser(string password) =>
        $"U\t{H("postfix")}\t{H("localhost")}\t{H("mysql_native_password")}\t{H(PasswordHashes.Native(password))}";

    private static string LiveGrant(string privilege, string table = "*") =>
        $"G\t{H("'postfix'@'localhost'")}\t{H("postfix")}\t{(table == "*" ? "*" : H(table))}\t{H(privilege)}";

    private (IReadOnlyList<object> Observed, IReadOnlyList<ResourceChange> Changes) Plan(IReadOnlyList<Resource> resources, params string[] lines)
    {
        var observed = ProviderHarness.Parse(_provider, resources, lines.Where(l => l.Length > 0).ToList());
        return (observed, resources.Select((r, i) => _provider.Diff(r, observed[i])).ToList());
    }

    [Fact]
    public void Addresses_name_each_object_as_MariaDB_does()
    {
        Assert.Equal("mariadb_database[postfix]", Database.Address.ToString());
        Assert.Equal("mariadb_user[postfix@localhost]", User.Address.ToString());
        Assert.Equal("mariadb_table[postfix.mailbox]", Mailbox.Address.ToString());
        Assert.Equal("mariadb_rows[postfix.mailbox]", Rows().Address.ToString());
    }

    [Fact]
    public void Without_MariaDB_every_resource_is_blocked_with_the_one_line_reason()
    {
        var (_, changes) = Plan([Database, Mailbox, User, Rows()],
            "X\tcannot read MariaDB as root through its socket: ERROR 2002 (HY000): Can't connect to local server through socket '/run/mysqld/mysqld.sock' (2)");

        Assert.All(changes, c => Assert.Equal(ChangeAction.Blocked, c.Action));
        Assert.All(changes, c => Assert.StartsWith("cannot read MariaDB as root through its socket: ERROR 2002", c.Note));
    }

    [Fact]
    public void A_blank_server_plans_every_object_as_a_creation_and_secrets_only_as_sensitive()
    {
        var (_, changes) = Plan([Database, Mailbox, User, Rows()], Reachable);

        Assert.All(changes, c => Assert.Equal(ChangeAction.Create, c.Action));
        Assert.Equal([AttributeChange.Of(new("charset"), null, "utf8mb4")], changes[0].Attributes);
        Assert.Equal(
            [
                AttributeChange.Of(new("column username"), null, "varchar(255) NOT NULL"),
                AttributeChange.Of(new("column password"), null, "varchar(255) NOT NULL"),
                AttributeChange.Of(new("column maildir"), null, "varchar(255) NOT NULL"),
                AttributeChange.Of(new("column active"), null, "tinyint(1) NOT NULL DEFAULT 1"),
                AttributeChange.Of(new("primary key"), null, "username"),
            ],
            changes[1].Attributes);
        Assert.Equal(
            [
                AttributeChange.Secret(new("password"), before: false, after: true),
                AttributeChange.Of(new("grants on postfix.*"), null, "SELECT"),
            ],
            changes[2].Attributes);
        Assert.Equal(
            [
                AttributeChange.Of(new("row alice@example.test"), null, "created (password: (sensitive), maildir: example.test/alice/, active: 1)"),
                AttributeChange.Of(new("row bob@example.test"), null, "created (password: (sensitive), maildir: example.test/bob/, active: 1)"),
            ],
            changes[3].Attributes);
        Assert.Equal("2 row(s) to insert, 0 to update, 0 to delete; one transaction, rolled back on any error", changes[3].Note);
    }

    [Fact]
    public void A_server_that_matches_plans_no_changes_verifying_salted_hashes_rather_than_rehashing()
    {
        var (_, changes) = Plan([Database, Mailbox, User, Rows()],
            [
                PostfixDatabase, .. MailboxColumns, LiveUser(DbPassword), LiveGrant("SELECT"),
                Header(3, "username", "password", "maildir", "active"),
                Live(3, "alice@example.test", PasswordHashes.Ssha512(AlicePassword), "example.test/alice/", "1"),
                Live(3, "bob@example.test", PasswordHashes.Ssha512(BobPassword), "example.test/bob/", "1"),
            ]);

        Assert.All(changes, c => Assert.True(c.Action == ChangeAction.NoOp, $"{c.Address}: {c.Action} {string.Join("; ", c.Attributes)}"));
    }

    [Fact]
    public void Row_changes_are_listed_per_row_and_column_with_NULL_told_apart_from_empty()
    {
        var rows = Rows(exclusive: false, "maildir", "active");
        var (_, changes) = Plan([rows],
            [
                PostfixDatabase, .. MailboxColumns, Header(0, "username", "password", "maildir", "active"),
                Live(0, "alice@example.test", PasswordHashes.Ssha512("an old password"), "example.test/alice/", null),
                Live(0, "bob@example.test", PasswordHashes.Ssha512(BobPassword), "", "1"),
            ]);

        var change = Assert.Single(changes);
        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal(
            [
                AttributeChange.Secret(new("row alice@example.test password"), before: true, after: true),
                AttributeChange.Of(new("row alice@example.test active"), "NULL", "1"),
                AttributeChange.Of(new("row bob@example.test maildir"), "", "example.test/bob/"),
            ],
            change.Attributes);
        Assert.Equal("0 row(s) to insert, 2 to update, 0 to delete; one transaction, rolled back on any error", change.Note);
    }

    [Fact]
    public void A_password_column_declared_as_plain_text_never_shows_the_live_hash()
    {
        // A pull request declares the password column plain, hoping the plan prints the live {SSHA512} hash as "before".
        var liveHash = PasswordHashes.Ssha512(AlicePassword);
        var rows = new MariaDbRowsResource("postfix", "mailbox", ["username"], false,
            [Row("alice@example.test", MariaDbValue.Plain("x"), "example.test/alice/")], At);

        var (observed, changes) = Plan([rows],
            [PostfixDatabase, .. MailboxColumns, Header(0, "username", "password", "maildir", "active"),
             Live(0, "alice@example.test", liveHash, "example.test/alice/", "1")]);

        var password = Assert.Single(changes[0].Attributes);
        Assert.True(password.Sensitive);
        Assert.IsType<PlanValue.Sensitive>(password.Before);
        Assert.DoesNotContain(liveHash, System.Text.Json.JsonSerializer.Serialize(observed));
    }

    [Theory]
    [InlineData("comment", "{SSHA512}c2FsdGVkaGFzaA==")]
    [InlineData("comment", "{CRYPT}$6$salt$hash")]
    [InlineData("note", "$6$rounds=5000$salt$abcdefghijklmnop")]
    [InlineData("note", "$2y$10$abcdefghijklmnopqrstuv")]
    [InlineData("note", "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19")]
    [InlineData("note", "5f4dcc3b5aa765d61d8327deb882cf99")]
    [InlineData("authentication_string", "anything")]
    [InlineData("passwd", "anything")]
    [InlineData("api_token", "anything")]
    public void Cells_that_hold_secrets_by_column_name_or_value_shape_are_never_shown(string column, string live)
    {
        var rows = new MariaDbRowsResource("app", "t", ["id"], false,
            [new MariaDbRow([new MariaDbCell("id", MariaDbValue.Plain("1")), new MariaDbCell(column, MariaDbValue.Plain("plain"))], At)], At);

        var (_, changes) = Plan([rows],
            [$"D\t{H("app")}\tutf8mb4\tutf8mb4_general_ci", $"C\t{H("app")}\t{H("t")}\t{H("id")}", $"C\t{H("app")}\t{H("t")}\t{H(column)}",
             Header(0, "id", column), Live(0, "1", live)]);

        var cell = Assert.Single(changes[0].Attributes);
        Assert.True(cell.Sensitive);
        Assert.IsType<PlanValue.Sensitive>(cell.Before);
        Assert.DoesNotContain(live, cell.ToString());
    }

    [Fact]
    public void Ordinary_cells_are_still_shown()
    {
        Assert.False(MariaDbSensitivity.IsSensitive("maildir", "example.test/alice/", "example.test/old/"));
        Assert.False(MariaDbSensitivity.IsSensitive("active", "1", "0"));
    }

    [Fact]
    public void Exclusive_rows_plan_undeclared_live_rows_as_deletions_named_by_keyed_digest_and_others_leave_them()
    {
        string[] facts =
        [
            PostfixDatabase, .. MailboxColumns, Header(0, "username", "password", "maildir", "active"),
            Live(0, "alice@example.test", PasswordHashes.Ssha512(AlicePassword), "example.test/alice/", "1"),
            Live(0, "bob@example.test", PasswordHashes.Ssha512(BobPassword), "example.test/bob/", "1"),
            Key(0, "alice@example.test"), Key(0, "bob@example.test"), Key(0, "mallory@example.test"),
        ];

        var rows = Rows(exclusive: true);
        var exclusive = Plan([rows], facts).Changes[0];
        Assert.Equal(
            [new AttributeChange(new($"row {rows.KeyDigest(["mallory@example.test"], PlanKey.Ephemeral)}"), new PlanValue.Text("present"), new PlanValue.Deleted())],
            exclusive.Attributes);
        Assert.Equal(ChangeEffects.DeletesData, exclusive.Effects);
        Assert.Equal("0 row(s) to insert, 0 to update, 1 to delete; one transaction, rolled back on any error; exclusive: live rows not declared are deleted; " +
                     "1 row(s) the spec does not declare would be deleted (named by keyed digests of their keys; their cells are never read)", exclusive.Note);

        Assert.Equal(ChangeAction.NoOp, Plan([Rows()], facts).Changes[0].Action);
    }

    [Fact]
    public void A_key_differing_only_in_case_is_the_same_row_and_its_case_is_updated()
    {
        var rows = Rows(exclusive: false, "username");
        var (observed, changes) = Plan([rows],
            [
                PostfixDatabase, .. MailboxColumns, Header(0, "username", "password", "maildir", "active"),
                Live(0, "Alice@Example.test", PasswordHashes.Ssha512(AlicePassword), "example.test/alice/", "1"),
                Live(0, "bob@example.test", PasswordHashes.Ssha512(BobPassword), "example.test/bob/", "1"),
            ]);

        Assert.Equal([AttributeChange.Of(new("row alice@example.test username"), "Alice@Example.test", "alice@example.test")], changes[0].Attributes);
        var sql = _provider.ApplyScript(rows, observed[0], changes[0]);
        Assert.Contains($"UPDATE `postfix`.`mailbox` SET `username` = _utf8mb4 X'{H("alice@example.test")}' WHERE `username` <=> _utf8mb4 X'{H("Alice@Example.test")}';", sql);
        Assert.DoesNotContain("INSERT", sql);
    }

    [Fact]
    public void A_table_lacking_declared_columns_gets_only_those_added()
    {
        var (observed, changes) = Plan([Mailbox], PostfixDatabase, MailboxColumns[0], MailboxColumns[1], $"C\t{H("postfix")}\t{H("mailbox")}\t{H("extra")}");

        Assert.Equal(ChangeAction.Update, changes[0].Action);
        Assert.Equal(
            [AttributeChange.Of(new("column maildir"), null, "varchar(255) NOT NULL"), AttributeChange.Of(new("column active"), null, "tinyint(1) NOT NULL DEFAULT 1")],
            changes[0].Attributes);
        Assert.Contains("types are not compared", changes[0].Note);
        Assert.Contains(
            "ALTER TABLE `postfix`.`mailbox` ADD COLUMN `maildir` varchar(255) NOT NULL, ADD COLUMN `active` tinyint(1) NOT NULL DEFAULT 1;",
            _provider.ApplyScript(Mailbox, observed[0], changes[0]));
    }

    [Fact]
    public void What_an_object_needs_must_exist_or_be_declared_or_it_is_blocked()
    {
        var grantOnTable = User with { Grants = [new MariaDbGrant("postfix", "alias", ["SELECT"])] };

        var (_, undeclared) = Plan([Mailbox, grantOnTable], Reachable);
        Assert.Equal("database postfix does not exist and no mariadb_database declares it", undeclared[0].Note);
        Assert.Equal("table postfix.alias does not exist and no mariadb_table declares it", undeclared[1].Note);

        var (_, declared) = Plan([Database, Mailbox, grantOnTable with { Grants = [new MariaDbGrant("postfix", "mailbox", ["SELECT"])] }], Reachable);
        Assert.All(declared, c => Assert.Equal(ChangeAction.Create, c.Action));

        var (_, noKey) = Plan([Rows()], PostfixDatabase, MailboxColumns[1], Header(0, "password"));
        Assert.Equal(ChangeAction.Blocked, noKey[0].Action);
        Assert.Contains("has no key column username", noKey[0].Note);
    }

    [Fact]
    public void A_user_with_another_password_and_extra_privileges_is_altered_by_hash_and_revoked()
    {
        var (observed, changes) = Plan([User], PostfixDatabase, LiveUser("an old password"), LiveGrant("INSERT"), LiveGrant("SELECT"));

        Assert.Equal(ChangeAction.Update, changes[0].Action);
        Assert.Equal(
            [
                AttributeChange.Secret(new("password"), before: true, after: true),
                AttributeChange.Of(new("grants on postfix.*"), "SELECT, INSERT", "SELECT"),
            ],
            changes[0].Attributes);

        var script = _provider.ApplyScript(User, observed[0], changes[0]);
        Assert.Contains($"ALTER USER 'postfix'@'localhost' IDENTIFIED BY PASSWORD '{PasswordHashes.Native(DbPassword)}';", script);
        Assert.Contains("REVOKE INSERT ON `postfix`.* FROM 'postfix'@'localhost';", script);
        Assert.DoesNotContain("GRANT ", script);
        Assert.DoesNotContain(DbPassword, script);
    }

    [Fact]
    public void A_user_authenticating_another_way_gets_the_declared_password()
    {
        var socketOnly = $"U\t{H("postfix")}\t{H("localhost")}\t{H("unix_socket")}\t{H("")}";

        var (_, changes) = Plan([User], PostfixDatabase, socketOnly, LiveGrant("SELECT"));

        Assert.Equal([AttributeChange.Secret(new("password"), before: true, after: true)], changes[0].Attributes);
    }

    [Fact]
    public void A_new_user_is_created_with_its_hash_and_granted()
    {
        var (observed, changes) = Plan([User], PostfixDatabase);

        var script = _provider.ApplyScript(User, observed[0], changes[0]);

        Assert.Contains($"CREATE USER 'postfix'@'localhost' IDENTIFIED BY PASSWORD '{PasswordHashes.Native(DbPassword)}';", script);
        Assert.Contains("GRANT SELECT ON `postfix`.* TO 'postfix'@'localhost';", script);
        Assert.Contains("--protocol=socket", script);
    }

    [Fact]
    public void Rows_apply_in_one_transaction_deletes_then_updates_then_inserts_with_hex_values_and_fresh_hashes()
    {
        var rows = Rows(exclusive: true) with
        {
            Rows = [.. Rows().Rows, Row("carol@example.test", MariaDbValue.Secret("carol's 'verbatim' secret"), "example.test/carol/", null)],
        };
        var (observed, changes) = Plan([rows],
            [
                PostfixDatabase, .. MailboxColumns, Header(0, "username", "password", "maildir", "active"),
                Live(0, "bob@example.test", PasswordHashes.Ssha512(BobPassword), "example.test/old/", "1"),
                Key(0, "bob@example.test"), Key(0, "zed@example.test"),
            ]);

        var script = _provider.ApplyScript(rows, observed[0], changes[0]);
        var sql = script[script.IndexOf("START TRANSACTION;", StringComparison.Ordinal)..(script.IndexOf("COMMIT;", StringComparison.Ordinal) + 7)].Split('\n');

        Assert.Equal(
            [
                "START TRANSACTION;",
                $"DELETE FROM `postfix`.`mailbox` WHERE `username` <=> _utf8mb4 X'{H("zed@example.test")}';",
                $"UPDATE `postfix`.`mailbox` SET `maildir` = _utf8mb4 X'{H("example.test/bob/")}' WHERE `username` <=> _utf8mb4 X'{H("bob@example.test")}';",
            ],
            sql[..3]);
        Assert.StartsWith("INSERT INTO `postfix`.`mailbox` (`username`, `password`, `maildir`, `active`) VALUES (", sql[3]);
        Assert.Equal($"INSERT INTO `postfix`.`mailbox` (`username`, `password`, `maildir`, `active`) VALUES (_utf8mb4 X'{H("carol@example.test")}', _utf8mb4 X'{H("carol's 'verbatim' secret")}', _utf8mb4 X'{H("example.test/carol/")}', NULL);", sql[4]);
        Assert.Equal("COMMIT;", sql[5]);
        var aliceHash = Encoding.UTF8.GetString(Convert.FromHexString(HexLiterals().Matches(sql[3])[1].Groups[1].Value));
        Assert.True(PasswordHashes.IsSsha512(aliceHash, AlicePassword));
        Assert.DoesNotContain(AlicePassword, script);
        Assert.DoesNotContain("carol's", script);
    }

    [Fact]
    public void The_read_is_one_client_call_over_the_socket_and_names_no_secret()
    {
        var script = ProviderHarness.ReadScript(_provider, [Database, Mailbox, User, Rows()]);

        Assert.Single(Regex.Matches(script, "--protocol=socket"));
        Assert.Contains("FROM information_schema.SCHEMA_PRIVILEGES", script);
        Assert.Contains("PREPARE rc_s FROM @rc_q", script);
        Assert.DoesNotContain(DbPassword, script);
        Assert.DoesNotContain(AlicePassword, script);
        Assert.DoesNotContain(PasswordHashes.Native(DbPassword), script);
    }

    // (That no view shows them either is Reconciler.Cli.Tests' MariaDbViewSecrecyTests, over the same provider.)
    [Fact]
    public void No_change_carries_a_password_or_a_hash()
    {
        var (_, changes) = Plan([Database, Mailbox, User, Rows(exclusive: true)],
            [
                PostfixDatabase, .. MailboxColumns, LiveUser("an old password"),
                Header(3, "username", "password", "maildir", "active"),
                Live(3, "alice@example.test", PasswordHashes.Ssha512("an old password"), "example.test/alice/", "1"),
                Key(3, "alice@example.test"), Key(3, "zed@example.test"),
            ]);

        var text = string.Join("\n",
            string.Join("\n", changes.Select(c => c.ToString())), string.Join("\n", Rows().Rows.Select(r => r.ToString())), User.ToString());

        Assert.Contains(changes.SelectMany(c => c.Attributes), a => a is { Name.Text: "row alice@example.test password", Sensitive: true });
        Assert.Contains(changes.SelectMany(c => c.Attributes), a => a is { Before: PlanValue.Text { Value: "present" }, After: PlanValue.Deleted } && a.Name.Text.StartsWith("row #", StringComparison.Ordinal));
        foreach (var secret in new[] { "zed", DbPassword, AlicePassword, BobPassword, "an old password", "SSHA512}", PasswordHashes.Native(DbPassword)[1..] })
        {
            Assert.DoesNotContain(secret, text);
        }
    }

    [GeneratedRegex("X'([0-9A-F]*)'")]
    private static partial Regex HexLiterals();
}
