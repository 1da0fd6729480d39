## The envelope around every apply script (ScriptEnvelope.Wrap explains why it is shaped so). Placeholders, filled
## per run by ScriptEnvelope.Wrap: @RC_RUN_ROOT@ (the run root, Sh.Quote'd), @RC_NONCE@ (random here-document
## delimiter suffix), @RC_HANDOVER@ and @RC_BODY@ (scripts, verbatim), @RC_HANDOVER_DELAY@ (seconds),
## @RC_NO_TEMPORARY_FILE@ and @RC_NO_RESULT@ (ScriptEnvelope's exit statuses). Lines starting with ## are not sent.
trap '' HUP
{
rc_env_root=@RC_RUN_ROOT@
mkdir -p "$rc_env_root" 2>/dev/null
rc_env_dir=$(mktemp -d "$rc_env_root/run.XXXXXX") || {
  echo "cannot create a run directory on the host; nothing was changed" >&2; exit @RC_NO_TEMPORARY_FILE@; }
cat > "$rc_env_dir/handover" <<'RC_HANDOVER_@RC_NONCE@'
@RC_HANDOVER@
RC_HANDOVER_@RC_NONCE@
cat > "$rc_env_dir/run" <<'RC_RUN_@RC_NONCE@'
trap '' HUP
echo $$ > "$1/pid"
(
@RC_BODY@
) >"$1/out" 2>"$1/err" </dev/null
echo $? > "$1/rc.tmp" && mv -f "$1/rc.tmp" "$1/rc"
( sleep @RC_HANDOVER_DELAY@; sh "$1/handover" >/dev/null 2>&1; rm -rf -- "$1" ) </dev/null >/dev/null 2>&1 &
RC_RUN_@RC_NONCE@
cd /
if command -v setsid >/dev/null 2>&1; then rc_env_detach=setsid; else rc_env_detach=nohup; fi
$rc_env_detach sh "$rc_env_dir/run" "$rc_env_dir" </dev/null >/dev/null 2>&1 &
wait $! 2>/dev/null
# Where setsid had to fork, the wait above returns at once: follow the body by its pid file instead.
rc_env_n=0
while [ ! -f "$rc_env_dir/pid" ] && [ ! -f "$rc_env_dir/rc" ] && [ "$rc_env_n" -lt 10 ]; do sleep 1; rc_env_n=$((rc_env_n + 1)); done
while [ ! -f "$rc_env_dir/rc" ] && kill -0 "$(cat "$rc_env_dir/pid" 2>/dev/null)" 2>/dev/null; do sleep 1; done
if [ -f "$rc_env_dir/rc" ]; then rc_env_rc=$(cat "$rc_env_dir/rc"); else
  echo "the detached apply ended without a result" >&2; rc_env_rc=@RC_NO_RESULT@; fi
if ! { cat "$rc_env_dir/out" 2>/dev/null && cat "$rc_env_dir/err" >&2 2>/dev/null; }; then
  sh "$rc_env_dir/handover" >/dev/null 2>&1
fi
rm -f -- "$rc_env_dir/out" "$rc_env_dir/err"
exit "$rc_env_rc"
}
