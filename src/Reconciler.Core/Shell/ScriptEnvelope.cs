namespace Reconciler.Core.Shell;

/// <summary>
/// Wraps a script that changes a host so that a lost connection can neither cut it short nor leave it half-run:
/// <list type="bullet">
/// <item>The whole envelope is one brace group (the body inside it as a here-document), and sh parses a compound
/// command whole before running any of it, so a script cut off in transit is a syntax error that runs nothing — never
/// the first half of a transaction without its rollback.</item>
/// <item>The body is written to a private run directory on the host and runs <em>detached</em> from the SSH session
/// (its own session via setsid, hang-ups ignored, no descriptor of the connection), its output kept in files there.
/// The part attached to the connection only waits for the body's result file and then sends the output: a connection
/// that drops, silently or not, stops nothing on the host.</item>
/// <item>The <c>handover</c> script runs on the host when the controller is known to be gone (sending the output
/// failed) and in any case <c>handoverDelay</c> after the body ended — by then a live controller has long taken over
/// (it releases the apply lock itself on its verifying read), so the script acts only for a controller that never
/// came back. It must be idempotent.</item>
/// </list>
/// The body runs in a subshell: its <c>exit</c> ends the body, and the envelope still reports and exits with its status.
/// </summary>
public static class ScriptEnvelope
{
    /// <summary>Exit status when the host cannot even create the run directory; nothing ran.</summary>
    public const int NoTemporaryFile = 96;

    /// <summary>Exit status when the detached body vanished without writing its result (killed on the host).</summary>
    public const int NoResult = 95;

    /// <param name="runRoot">Where the run directory is made (mktemp makes it 0700: the body may carry secrets).</param>
    public static string Wrap(string body, string runRoot, string? handover = null, TimeSpan? handoverDelay = null)
    {
        // A random here-document delimiter: no line of the body (spec or host text) can end the document early.
        var nonce = Guid.NewGuid().ToString("N")[..16];
        var delay = (long)Math.Ceiling((handoverDelay ?? TimeSpan.FromSeconds(30)).TotalSeconds);
        return $$"""
            trap '' HUP
            {
            rc_env_root={{Sh.Quote(runRoot)}}
            mkdir -p "$rc_env_root" 2>/dev/null
            rc_env_dir=$(mktemp -d "$rc_env_root/run.XXXXXX") || {
              echo "cannot create a run directory on the host; nothing was changed" >&2; exit {{NoTemporaryFile}}; }
            cat > "$rc_env_dir/handover" <<'RC_HANDOVER_{{nonce}}'
            {{(handover ?? ":").TrimEnd('\n')}}
            RC_HANDOVER_{{nonce}}
            cat > "$rc_env_dir/run" <<'RC_RUN_{{nonce}}'
            trap '' HUP
            echo $$ > "$1/pid"
            (
            {{body.TrimEnd('\n')}}
            ) >"$1/out" 2>"$1/err" </dev/null
            echo $? > "$1/rc.tmp" && mv -f "$1/rc.tmp" "$1/rc"
            ( sleep {{delay}}; sh "$1/handover" >/dev/null 2>&1; rm -rf -- "$1" ) </dev/null >/dev/null 2>&1 &
            RC_RUN_{{nonce}}
            cd /
            if command -v setsid >/dev/null 2>&1; then rc_env_detach=setsid; else rc_env_detach=nohup; fi
            $rc_env_detach sh "$rc_env_dir/run" "$rc_env_dir" </dev/null >/dev/null 2>&1 &
            wait $! 2>/dev/null
            # Where setsid had to fork, the wait above returns at once: follow the body by its pid file instead.
            rc_env_n=0
            while [ ! -f "$rc_env_dir/pid" ] && [ ! -f "$rc_env_dir/rc" ] && [ "$rc_env_n" -lt 10 ]; do sleep 1; rc_env_n=$((rc_env_n + 1)); done
            while [ ! -f "$rc_env_dir/rc" ] && kill -0 "$(cat "$rc_env_dir/pid" 2>/dev/null)" 2>/dev/null; do sleep 1; done
            if [ -f "$rc_env_dir/rc" ]; then rc_env_rc=$(cat "$rc_env_dir/rc"); else
              echo "the detached apply ended without a result" >&2; rc_env_rc={{NoResult}}; fi
            if ! { cat "$rc_env_dir/out" 2>/dev/null && cat "$rc_env_dir/err" >&2 2>/dev/null; }; then
              sh "$rc_env_dir/handover" >/dev/null 2>&1
            fi
            rm -f -- "$rc_env_dir/out" "$rc_env_dir/err"
            exit "$rc_env_rc"
            }

            """;
    }
}
