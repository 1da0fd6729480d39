using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.MariaDb;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Providers.MariaDb;

/// <summary>
/// The read and apply scripts run with /bin/sh against a stand-in <c>mariadb</c> client that records its arguments
/// and stdin and answers as the real one does — including its habit of echoing a failing statement on stderr.
/// </summary>
public sealed class MariaDbClientScriptTests : IDisposable
{
    private const string Password = "s3cret-for-the-db";

    private static readonly SourceLocation At = new("specs/mail/mariadb.yaml", 2, 3);

    private readonly IResourceProvider _provider = new MariaDbProvider();
    private readonly TempDir _dir = new();
    private readonly MariaDbUserResource _user = new("postfix", "localhost", Password, [new MariaDbGrant("postfix", null, ["SELECT"])], At);
    private readonly MariaDbDatabaseResource _database = new("postfix", null, null, At);

    public MariaDbClientScriptTests()
    {
        // stdout: the file "answer"; stderr and exit status: the file "error" when it exists (after echoing stdin as the real client does).
        File.WriteAllText(_dir["mariadb"], $"""
            #!/bin/sh
            printf '%s\n' "$*" > '{_dir["args"]}'
            cat > '{_dir["stdin"]}'
            [ -f '{_dir["answer"]}' ] && cat '{_dir["answer"]}'
            if [ -f '{_dir["error"]}' ]; then
              {"{"} echo '--------------'; cat '{_dir["stdin"]}'; echo '--------------'; echo; cat '{_dir["error"]}'; {"}"} >&2
              exit 1
            fi
            exit 0
            """);
        LocalShell.Run($"chmod 0700 '{_dir["mariadb"]}'");
    }

    public void Dispose() => _dir.Dispose();

    private ScriptResultLines Read(IReadOnlyList<Reconciler.Core.Model.Resource> resources)
    {
        var result = LocalShell.Run($"PATH='{_dir.Path}':$PATH; export PATH\n(\n{ProviderHarness.ReadScript(_provider, resources)}\n)");
        Assert.True(result.ExitCode == 0, result.Stderr);
        return new ScriptResultLines(LocalShell.Lines(result.Stdout), result.Stderr);
    }

    private sealed record ScriptResultLines(IReadOnlyList<string> Lines, string Stderr);

    [Fact]
    public void A_server_that_is_not_running_blocks_with_the_client_s_own_line()
    {
        File.WriteAllText(_dir["error"], "ERROR 2002 (HY000): Can't connect to local server through socket '/run/mysqld/mysqld.sock' (2)\n");

        var read = Read([_database]);
        var change = _provider.Diff(_database, ProviderHarness.Parse(_provider, [_database], read.Lines)[0]);

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Equal("cannot read MariaDB as root through its socket: ERROR 2002 (HY000): Can't connect to local server through socket '/run/mysqld/mysqld.sock' (2)", change.Note);
    }

    [Fact]
    public void The_read_asks_as_root_over_the_socket_with_the_query_on_stdin()
    {
        File.WriteAllText(_dir["answer"], $"D\t{Convert.ToHexString("postfix"u8)}\tutf8mb4\tutf8mb4_general_ci\n");

        var read = Read([_database, _user]);
        var observed = ProviderHarness.Parse(_provider, [_database, _user], read.Lines);

        Assert.Equal("--connect-timeout=10 --protocol=socket -N -B", File.ReadAllText(_dir["args"]).Trim());
        Assert.Contains("FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (_utf8mb4 X'706F7374666978')", File.ReadAllText(_dir["stdin"]));
        Assert.Equal(new MariaDbDatabaseObserved(null, true, "utf8mb4", "utf8mb4_general_ci"), observed[0]);
        Assert.Equal(ChangeAction.Create, _provider.Diff(_user, observed[1]).Action);
    }

    [Fact]
    public void An_apply_sends_the_hash_on_stdin_only_and_a_failure_reports_just_the_sanitized_error_line()
    {
        var observed = ProviderHarness.Parse(_provider, [_user], [])[0];
        var change = _provider.Diff(_user, observed);
        File.WriteAllText(_dir["error"], $"ERROR 1396 (HY000) at line 1: Operation CREATE USER failed for 'postfix'@'localhost' using '{PasswordHashes.Native(Password)}'\n");

        var result = LocalShell.Run($"PATH='{_dir.Path}':$PATH; export PATH\n" + ProviderHarness.ApplyScript(_provider, _user, observed, change));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(PasswordHashes.Native(Password), File.ReadAllText(_dir["stdin"]));
        Assert.DoesNotContain(PasswordHashes.Native(Password), File.ReadAllText(_dir["args"]));
        Assert.Equal(
            "mariadb_user[postfix@localhost] failed: ERROR 1396 (HY000) at line 1: Operation CREATE USER failed for 'postfix'@'localhost' using '(value withheld)'",
            (result.Stdout + result.Stderr).Trim());
    }

    [Theory]
    [InlineData("ERROR 1064 (42000) at line 2: You have an error in your SQL syntax; check the manual near 'X'7B5353''' at line 1",
        "ERROR 1064 (42000) at line 2: You have an error in your SQL syntax; check the manual (statement text withheld)")]
    [InlineData("ERROR 1062 (23000) at line 3: Duplicate entry 'alice@example.test' for key 'PRIMARY'",
        "ERROR 1062 (23000) at line 3: Duplicate entry 'alice@example.test' for key 'PRIMARY'")]
    [InlineData("ERROR 1366 (22007) at line 4: Incorrect integer value: '7B53534841353132' for column `postfix`.`mailbox`.`active` at row 1",
        "ERROR 1366 (22007) at line 4: Incorrect integer value: '(hex withheld)' for column `postfix`.`mailbox`.`active` at row 1")]
    public void Rows_failures_say_the_transaction_was_rolled_back_and_keep_only_what_names_no_value(string error, string shown)
    {
        var rows = new MariaDbRowsResource("postfix", "mailbox", ["username"], false,
            [new MariaDbRow([new MariaDbCell("username", MariaDbValue.Plain("alice@example.test")), new MariaDbCell("password", MariaDbValue.Ssha512(Password))], At)], At);
        var observed = ProviderHarness.Parse(_provider, [rows], [])[0];
        File.WriteAllText(_dir["error"], error + "\n");

        var result = LocalShell.Run($"PATH='{_dir.Path}':$PATH; export PATH\n" + ProviderHarness.ApplyScript(_provider, rows, observed, _provider.Diff(rows, observed)));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"mariadb_rows[postfix.mailbox] failed, transaction rolled back, no row changed: {shown}", (result.Stdout + result.Stderr).Trim());
        Assert.Contains("START TRANSACTION;", File.ReadAllText(_dir["stdin"]));
    }
}
