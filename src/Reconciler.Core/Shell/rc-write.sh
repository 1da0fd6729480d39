## The apply scripts' file functions, put at the top of every apply script (ShellLibrary.Source) with rc-path.sh's
## rc_safe. They need only a POSIX shell, coreutils and (for immutable files) e2fsprogs' chattr/lsattr. Lines starting
## with ## are not sent.
# rc_unlock PATH: clear the immutable flag so PATH can be changed; rc_relock (run by the EXIT trap) sets it back on
# every file the change unlocked (a transaction may unlock several: main.cf and master.cf), so a failed change never
# leaves a protected file unprotected. rc_relock_none: the change sets the flags itself (the file kind's attributes).
rc_relock_n=0 rc_unlocked=''
rc_unlock() {
  # Asked already in this change (a write unlocks the file its caller unlocked just before): lsattr is not asked again.
  [ "$rc_unlocked" != "$1" ] || return 0
  case "$(lsattr -d -- "$1" 2>/dev/null | cut -d' ' -f1)" in
    *i*) chattr -i -- "$1" && { eval "rc_relock_$rc_relock_n=\$1"; rc_relock_n=$((rc_relock_n + 1)); } ;;
  esac
  rc_unlocked=$1
}
rc_relock() {
  rc_unlocked=
  while [ "$rc_relock_n" -gt 0 ]; do
    rc_relock_n=$((rc_relock_n - 1)); eval "chattr +i -- \"\$rc_relock_$rc_relock_n\""
  done
}
rc_relock_none() { rc_relock_n=0; }
# rc_open FD PATH: open PATH (a regular file or a directory) as descriptor FD (8 or 9) and check that the name
# still points at what was opened. Changes then go through /proc/self/fd/FD, so a link or a swap planted by a
# local user who can write the parent directory is refused, never followed — between plan and apply, or
# between this check and the change. The path's other components are judged by rc_safe (rc-path.sh).
rc_open() {
  rc_safe "$2" || return 1
  if [ -L "$2" ]; then
    echo "$2 is a symbolic link (to $(readlink -- "$2" | head -c 1024 | tr -d '\n' | tr '\t' ' ')); not followed, nothing changed" >&2; return 1
  fi
  if [ ! -f "$2" ] && [ ! -d "$2" ]; then echo "$2 is not a regular file or directory; nothing changed" >&2; return 1; fi
  eval "exec $1<\"\$2\"" || return 1
  # One stat for the name and the descriptor: the name as it is (never followed: the open above follows a link put
  # there since the check, so "leads to the file opened" is true of every link, /etc/shadow's included) and the
  # descriptor itself, given as stat's standard input ('-': fstat).
  rc_o_ids=$(stat -c %d:%i -- "$2" - 2>/dev/null <&"$1")
  rc_o_name=${rc_o_ids%%"$rc_memo_nl"*} rc_o_fd=${rc_o_ids#*"$rc_memo_nl"}
  if [ -L "$2" ] || [ "$rc_o_name" = "$rc_o_ids" ] || [ -z "$rc_o_name" ] || [ "$rc_o_name" != "$rc_o_fd" ]; then
    eval "exec $1<&-"; echo "$2 was replaced while it was being changed; nothing changed" >&2; return 1
  fi
}
# rc_tmpfile PATH: a new temp file next to PATH (mktemp: O_EXCL, mode 0600), open as descriptor 9; its name is in rc_tmp.
rc_tmpfile() {
  rc_safe "$1" || return 1
  # The directory by expansion (rc_safe took only an absolute path); dirname only for a name ending in a slash.
  rc_t_dir=${1%/*}; case "$1" in */) rc_t_dir=$(dirname -- "$1") ;; esac
  rc_tmp=$(mktemp "${rc_t_dir:-/}/.reconciler.XXXXXX") || return 1
  rc_open 9 "$rc_tmp" || { rm -f -- "$rc_tmp"; return 1; }
}
# rc_write PATH BASE64: atomic write — a temp file in the same directory, renamed over PATH, keeping
# PATH's owner and mode when it exists. Readers see the old or the new file, never a partial one.
rc_write() {
  rc_tmpfile "$1" || return 1
  if printf '%s' "$2" | base64 -d > /proc/self/fd/9 && rc_commit_opened "$rc_tmp" "$1"; then return 0; fi
  rm -f -- "$rc_tmp"; return 1
}
# rc_commit TMP PATH: rename TMP over PATH, first copying PATH's owner and mode onto TMP. mv -T renames onto
# the name itself: a link there is replaced, never written through, and a directory there is an error.
rc_commit() {
  rc_open 9 "$1" || return 1
  rc_commit_opened "$@"
}
# rc_commit_opened TMP PATH: rc_commit for a TMP already open as descriptor 9 and checked (rc_tmpfile just made it).
rc_commit_opened() {
  if [ -e "$2" ]; then
    chown --reference="$2" -- /proc/self/fd/9 && chmod --reference="$2" -- /proc/self/fd/9 || return 1
    rc_unlock "$2"
  fi
  mv -f -T -- "$1" "$2"
}
