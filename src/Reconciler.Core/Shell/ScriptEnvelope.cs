namespace Reconciler.Core.Shell;

/// <summary>
/// Wraps a script that changes a host so that a lost connection can neither cut it short nor leave it half-run:
/// <list type="bullet">
/// <item>The body is one brace group, and sh parses a compound command whole before running any of it, so a script
/// cut off in transit is a syntax error that runs nothing — never the first half of a transaction without its
/// rollback.</item>
/// <item>The body's output goes to files on the host and is sent only at the end, so no write to a dead connection
/// can kill a transaction between its swap and its probe (SIGPIPE); hang-ups are ignored for the same reason.</item>
/// <item>If sending that output fails, the connection is gone and the controller will never read it: the
/// <c>onDisconnect</c> script runs then (releasing the apply lock, so the next run need not wait for its TTL).</item>
/// </list>
/// The body runs in a subshell: its <c>exit</c> ends the body, and the envelope still reports and exits with its status.
/// </summary>
public static class ScriptEnvelope
{
    /// <summary>Exit status when the host cannot even create the files the output is kept in; nothing ran.</summary>
    public const int NoTemporaryFile = 96;

    public static string Wrap(string body, string? onDisconnect = null) => $$"""
        trap '' HUP
        {
        rc_env_out=$(mktemp "${TMPDIR:-/tmp}/.reconciler-out.XXXXXX") && rc_env_err=$(mktemp "${TMPDIR:-/tmp}/.reconciler-err.XXXXXX") || {
          echo "cannot create a temporary file for the script's output; nothing was changed" >&2; exit {{NoTemporaryFile}}; }
        (
        {{body.TrimEnd('\n')}}
        ) >"$rc_env_out" 2>"$rc_env_err" </dev/null
        rc_env_rc=$?
        if ! { cat "$rc_env_out" 2>/dev/null && cat "$rc_env_err" >&2 2>/dev/null; }; then
          (
        {{(onDisconnect ?? ":").TrimEnd('\n')}}
          ) >/dev/null 2>&1
        fi
        rm -f -- "$rc_env_out" "$rc_env_err"
        exit "$rc_env_rc"
        }

        """;
}
