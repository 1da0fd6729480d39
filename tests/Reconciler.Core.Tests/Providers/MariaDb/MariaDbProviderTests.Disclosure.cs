using System.Text;
using System.Text.RegularExpressions;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.MariaDb;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Providers.MariaDb;

/// <summary>
/// What a plan may show of a table whose rows a pull request chooses (issue 15, item 5). Three classes, one test each:
/// rows the spec does not declare (only a count and keyed digests of their keys — their cells are never even read),
/// declared cells of columns not public (compared, never shown), and secret-shaped cells (never shown, public or not).
/// </summary>
public partial class MariaDbProviderTests
{
    private static readonly PlanKey KeyA = PlanKey.From(new string('a', 40)).Key!;
    private static readonly PlanKey KeyB = PlanKey.From(new string('b', 40)).Key!;

    /// <summary>The dummy-row attack: one declared row, exclusive, on a table full of other people's data.</summary>
    private static readonly MariaDbRowsResource DummyRow = new("app", "customers", ["id"], Exclusive: true,
        [new MariaDbRow([new MariaDbCell("id", MariaDbValue.Plain("dummy")), new MariaDbCell("email", MariaDbValue.Plain("x"))], At)], At);

    private static readonly string[] CustomerFacts =
    [
        $"D\t{H("app")}\tutf8mb4\tutf8mb4_general_ci",
        $"C\t{H("app")}\t{H("customers")}\t{H("id")}", $"C\t{H("app")}\t{H("customers")}\t{H("email")}",
        Header(0, "id", "email"),
        // A hostile or careless host also prints whole undeclared rows: they must be ignored, not shown.
        Live(0, "c1", "carol@corp.example"),
        Key(0, "c1"), Key(0, "c2"), Key(0, "c3"),
    ];

    [Fact]
    public void Rows_the_spec_does_not_declare_show_only_as_keyed_digests_never_their_keys_or_cells()
    {
        var (observed, _) = Plan([DummyRow], CustomerFacts);
        var change = ((IResourceProvider)new MariaDbProvider()).Diff(DummyRow, observed[0], KeyA);

        var text = string.Join("\n", change.Attributes.Select(a => $"{a.Name}: {a.Before} → {a.After}").Append(change.Note ?? ""));
        foreach (var leaked in new[] { "c1", "c2", "c3", "carol", "corp.example" })
        {
            Assert.DoesNotContain(leaked, text);
        }

        Assert.Equal(
            new[] { "c1", "c2", "c3" }.Select(k => new AttributeChange(new($"row {DummyRow.KeyDigest([k], KeyA)}"), new PlanValue.Text("present"), new PlanValue.Deleted())),
            change.Attributes.Where(a => a.After is PlanValue.Deleted));
        Assert.Contains("3 row(s) the spec does not declare would be deleted", change.Note);
        Assert.Matches("^#[0-9a-f]{12}$", DummyRow.KeyDigest(["c1"], KeyA));

        // Keyed: another plan key names the same row otherwise (no offline guessing of keys from a plan artifact), and
        // the same key in another table is another digest.
        Assert.NotEqual(DummyRow.KeyDigest(["c1"], KeyA), DummyRow.KeyDigest(["c1"], KeyB));
        Assert.NotEqual(DummyRow.KeyDigest(["c1"], KeyA), (DummyRow with { Table = "orders" }).KeyDigest(["c1"], KeyA));

        // Apply deletes exactly the rows the plan named, by key, inside the transaction.
        var sql = _provider.ApplyScript(DummyRow, observed[0], change);
        Assert.Equal(["c1", "c2", "c3"], Regex.Matches(sql, "DELETE FROM `app`.`customers` WHERE `id` <=> _utf8mb4 X'([0-9A-F]+)';")
            .Select(m => Encoding.UTF8.GetString(Convert.FromHexString(m.Groups[1].Value))));
    }

    [Fact]
    public void The_read_fetches_whole_rows_only_by_declared_key_and_of_the_other_rows_only_the_key()
    {
        var script = ProviderHarness.ReadScript(_provider, [DummyRow]);
        var statements = Regex.Matches(script, "X'([0-9A-F]{16,})' USING utf8mb4")
            .Select(m => Encoding.UTF8.GetString(Convert.FromHexString(m.Groups[1].Value)))
            .ToList();

        Assert.Equal(2, statements.Count);
        Assert.Equal($" FROM `app`.`customers` WHERE `id` IN (_utf8mb4 X'{H("dummy")}') ORDER BY `id`", statements[0]);
        Assert.Equal("SELECT 'K', 0, HEX(CONVERT(`id` USING utf8mb4)) FROM `app`.`customers` ORDER BY `id`", statements[1]);
    }

    [Fact]
    public void Declared_cells_of_columns_not_public_are_compared_never_shown()
    {
        var rows = Rows(exclusive: false, "active");
        var (observed, changes) = Plan([rows],
            [
                PostfixDatabase, .. MailboxColumns, Header(0, "username", "password", "maildir", "active"),
                Live(0, "alice@example.test", PasswordHashes.Ssha512(AlicePassword), "private/notes-of-alice/", "0"),
                Live(0, "bob@example.test", PasswordHashes.Ssha512(BobPassword), "example.test/bob/", "1"),
            ]);

        Assert.Equal(
            [
                new AttributeChange(
                    new("row alice@example.test maildir"), new PlanValue.Withheld("maildir is not a public column", "value differs"), new PlanValue.Text("example.test/alice/")),
                AttributeChange.Of(new("row alice@example.test active"), "0", "1"),
            ],
            changes[0].Attributes);
        Assert.DoesNotContain("notes-of-alice", System.Text.Json.JsonSerializer.Serialize(observed));

        // Only the comparison is known: the update still writes the declared value.
        Assert.Contains($"SET `maildir` = _utf8mb4 X'{H("example.test/alice/")}'", _provider.ApplyScript(rows, observed[0], changes[0]));
    }

    [Fact]
    public void A_public_column_still_never_shows_a_value_shaped_like_a_password_hash()
    {
        var liveHash = PasswordHashes.Native("an old password");
        var (_, changes) = Plan([Rows(exclusive: false, "maildir")],
            [
                PostfixDatabase, .. MailboxColumns, Header(0, "username", "password", "maildir", "active"),
                Live(0, "alice@example.test", PasswordHashes.Ssha512(AlicePassword), liveHash, "1"),
                Live(0, "bob@example.test", PasswordHashes.Ssha512(BobPassword), "example.test/bob/", "1"),
            ]);

        var cell = Assert.Single(changes[0].Attributes);
        Assert.True(cell.Sensitive);
        Assert.IsType<PlanValue.Sensitive>(cell.Before);
    }

    [Fact]
    public void A_key_line_of_the_wrong_width_is_a_malformed_answer_not_a_row_to_delete()
    {
        IResourceProvider provider = _provider;
        var facts = CustomerFacts.Append($"K\t0\t{H("c4")}\t{H("extra")}").ToList();

        var error = Assert.Throws<MalformedFactsException>(() => ProviderHarness.Parse(provider, [DummyRow], facts));
        Assert.DoesNotContain("c4", error.Message);
    }

    [Fact]
    public void The_inventory_scope_allows_a_database_with_db_star_and_a_table_with_either_form()
    {
        var scope = new MariaDbScope(["postfix.*", "app.users", "user:u@localhost"]);
        var grants = new MariaDbUserResource("u", "localhost", "pw",
            [new MariaDbGrant("postfix", null, ["SELECT"]), new MariaDbGrant("app", "users", ["SELECT"]), new MariaDbGrant("app", null, ["SELECT"]), new MariaDbGrant("hr", "salaries", ["SELECT"])], At);

        Assert.Empty(scope.Refused(new MariaDbDatabaseResource("postfix", null, null, At)));
        Assert.Equal(["app.*"], scope.Refused(new MariaDbDatabaseResource("app", null, null, At)));
        Assert.Empty(scope.Refused(new MariaDbTableResource("app", "users", [new MariaDbColumn("id", "int")], ["id"], At)));
        Assert.Equal(["app.orders"], scope.Refused(new MariaDbTableResource("app", "orders", [new MariaDbColumn("id", "int")], ["id"], At)));
        Assert.Equal(["app.Users"], scope.Refused(DummyRow with { Database = "app", Table = "Users" }));
        Assert.Equal(["app.*", "hr.salaries"], scope.Refused(grants));
        Assert.Equal(["postfix.*"], MariaDbScope.Nothing.Refused(Database));
    }
}
