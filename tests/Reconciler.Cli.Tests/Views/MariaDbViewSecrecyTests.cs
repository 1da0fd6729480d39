using System.Text;
using Reconciler.Cli.Views;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.MariaDb;

namespace Reconciler.Cli.Tests.Views;

/// <summary>
/// A plan that changes a MariaDB user's password and mailbox rows whose passwords are hashed, made by the real
/// <see cref="MariaDbProvider"/> from fact lines as its query prints them (the provider's own tests are in the core's
/// tests): no view shows a password or a hash, old or new.
/// </summary>
public sealed class MariaDbViewSecrecyTests
{
    private const string DbPassword = "db-pass-7Qx!";
    private const string AlicePassword = "alice-pass-K9z#";
    private const string BobPassword = "bob-pass-W2m%";
    private const string OldPassword = "an old password";
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

    private static readonly MariaDbRowsResource Rows = new("postfix", "mailbox", ["username"], Exclusive: true,
    [
        Row("alice@example.test", AlicePassword, "example.test/alice/"),
        Row("bob@example.test", BobPassword, "example.test/bob/"),
    ], At);

    private static MariaDbRow Row(string username, string password, string maildir) => new(
    [
        new MariaDbCell("username", MariaDbValue.Plain(username)),
        new MariaDbCell("password", MariaDbValue.Ssha512(password)),
        new MariaDbCell("maildir", MariaDbValue.Plain(maildir)),
        new MariaDbCell("active", MariaDbValue.Plain("1")),
    ], At);

    private static string H(string text) => Convert.ToHexString(Encoding.UTF8.GetBytes(text));

    private static string Live(params string[] values) => $"R\t3\t{string.Join("\t", values.Select(H))}";

    /// <summary>What the host answers: the database and table as declared, the user with an old password, two live rows.</summary>
    private static readonly string[] Facts =
    [
        $"D\t{H("postfix")}\tutf8mb4\tutf8mb4_general_ci",
        .. new[] { "username", "password", "maildir", "active" }.Select(c => $"C\t{H("postfix")}\t{H("mailbox")}\t{H(c)}"),
        $"U\t{H("postfix")}\t{H("localhost")}\t{H("mysql_native_password")}\t{H(PasswordHashes.Native(OldPassword))}",
        $"H\t3\t{string.Join(",", new[] { "username", "password", "maildir", "active" }.Select(H))}",
        Live("alice@example.test", PasswordHashes.Ssha512(OldPassword), "example.test/alice/", "1"),
        $"K\t3\t{H("alice@example.test")}",
        $"K\t3\t{H("zed@example.test")}",
    ];

    [Fact]
    public void No_view_shows_a_password_or_a_hash()
    {
        IResourceProvider provider = new MariaDbProvider();
        IReadOnlyList<Resource> resources = [Database, Mailbox, User, Rows];
        var observed = provider.ParseFacts(resources, new FactAnswers(new Dictionary<string, IReadOnlyList<string>> { [provider.Kind] = Facts }));
        var plan = new Plan([new HostPlan("mail1", resources.Select((r, i) => provider.Diff(r, observed[i])).ToList())]);
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

        var text = string.Join("\n",
            PlanTextView.Render(plan, Styles.Plain), PlanJsonView.Render(plan, at), PlanMarkdownView.Render(plan),
            PlanCommentView.Render(plan), DriftMarkdownView.Render(plan, at), DriftHtmlView.Render(plan, at));

        Assert.Contains("row alice@example.test password: (sensitive value changed)", text);
        Assert.Contains($"row {Rows.KeyDigest(["zed@example.test"], PlanKey.Ephemeral)}: present → deleted", text);
        foreach (var secret in new[] { "zed@", DbPassword, AlicePassword, BobPassword, OldPassword, "SSHA512}", PasswordHashes.Native(DbPassword)[1..], PasswordHashes.Native(OldPassword)[1..] })
        {
            Assert.DoesNotContain(secret, text);
        }
    }
}
