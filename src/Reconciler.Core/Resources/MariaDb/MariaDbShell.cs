using System.Text;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary>
/// Runs SQL with the host's own client as root through the unix socket (<c>--protocol=socket</c>: the network port is
/// never used), the SQL on the client's stdin. On an error MariaDB's client echoes the whole failing statement, which
/// may hold a password hash: only its <c>ERROR</c> line is kept, cut before any <c>near '...'</c> statement text, with
/// quoted values that are not plain names and long hex runs masked.
/// </summary>
internal static class MariaDbShell
{
    private const string Terminator = "RC_MARIADB_SQL";

    /// <summary>Sets <c>rc_my</c> to the client (mariadb, else mysql), empty when neither is installed.</summary>
    public static string Setup => Shell.ShellFiles.Load("mariadb-client.sh");

    /// <summary>How long the one read of every MariaDB fact may take.</summary>
    public const int ReadSeconds = 60;

    public const string NotInstalled = "MariaDB is not installed (no mariadb or mysql client)";

    /// <summary>
    /// The read: result rows go to stdout as they come; a failure (the server not running, above all) prints one line
    /// <c>X TAB reason</c>. Always exits 0, so one host's missing MariaDB never fails the whole fact read.
    /// </summary>
    public static string Read(string sql) => new StringBuilder(Setup).AppendLine()
        .AppendLine($"[ -n \"$rc_my\" ] || {{ printf 'X\\t%s\\n' '{NotInstalled}'; exit 0; }}")
        .AppendLine("exec 3>&1")
        // Bounded in time like every other read: a hung server cannot hold the plan.
        .AppendLine($"rc_my_err=$(timeout {ReadSeconds} \"$rc_my\" --connect-timeout=10 --protocol=socket -N -B 2>&1 >&3 <<'{Terminator}'")
        .Append(sql)
        .AppendLine(Terminator)
        .AppendLine(") || printf 'X\\t%s\\n' \"cannot read MariaDB as root through its socket: $(printf '%s\\n' \"$rc_my_err\" | rc_my_error)\"")
        .AppendLine("exit 0")
        .ToString();

    /// <summary>An apply: runs the SQL, and on failure prints <paramref name="what"/> with the sanitized error and fails.</summary>
    public static string Apply(string sql, string what) => new StringBuilder(Setup).AppendLine()
        .AppendLine($"[ -n \"$rc_my\" ] || {{ echo '{NotInstalled}'; exit 1; }}")
        .AppendLine($"rc_my_err=$(\"$rc_my\" --protocol=socket -N -B 2>&1 >/dev/null <<'{Terminator}'")
        .Append(sql)
        .AppendLine(Terminator)
        .AppendLine($") || {{ printf '%s: %s\\n' {Shell.Sh.Quote(what)} \"$(printf '%s\\n' \"$rc_my_err\" | rc_my_error)\"; exit 1; }}")
        .ToString();
}
