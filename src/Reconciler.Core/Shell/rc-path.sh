## How every managed path is resolved on the host and who may write it (PathSafety): the rule systemd-tmpfiles calls
## safe path transitions. Sent ahead of every read and apply script that touches a managed path (PathSafety.Carry).
## Needs only a POSIX shell, coreutils, getent and util-linux's setpriv.
# rc_chain PATH FOLLOW: resolves PATH from / one component at a time, never by asking the kernel to follow a name, and
# judges every directory it passes through. Sets rc_chain_real (PATH resolved; a link as the last component is kept
# unless FOLLOW is 1), rc_chain_uid and rc_chain_user (the one user other than root who controls a directory on the
# way, or empty) and rc_chain_shared (a sticky directory others may write, where the rest of PATH does not exist yet).
# Refuses — rc_chain_why says why, naming the component, and the status is 1 — a path:
#  * through a directory that users other than root may write (group other than root, others, or a POSIX ACL whose
#    mask grants write — named users and groups of an ACL are other users), unless it is
#    sticky and the next component is owned by root or by the controlling user (then no one else can move it);
#  * through directories of two different users other than root (an unsafe transition);
#  * through a symbolic link in a directory a user other than root controls (that user could point it anywhere);
#    links only root could have made (merged /usr's /bin) are followed, as the kernel would;
#  * that is, or passes through, /proc, /sys or /dev (kernel views: /proc/self/cwd is whatever the reader's is).
rc_chain_fresh=
rc_chain() {
  # Outside a read (an apply, which changes directories as it goes, keeps no memo) the directories on the way are
  # stat'ed at once when the call starts and used by this call alone: judged at the moment, as one by one would.
  rc_chain_fresh=
  if [ "${rc_memo:-}" != 1 ]; then rc_ds_known=; rc_dirs_stat 64 "$1"; rc_chain_fresh=$rc_ds_out; fi
  if rc_chain_walk "$@"; then rc_chain_fresh=; return 0; fi
  rc_chain_fresh=; return 1
}
rc_chain_walk() {
  rc_chain_real='' rc_chain_uid='' rc_chain_user='' rc_chain_shared='' rc_chain_why=''
  case "$1" in /*) ;; *) rc_chain_why="$1 is not an absolute path"; return 1 ;; esac
  rc_c_dir=/ rc_c_rest=${1#/} rc_c_hops=0
  while :; do
    case "$rc_c_rest" in
      */*) rc_c_name=${rc_c_rest%%/*} rc_c_rest=${rc_c_rest#*/} ;;
      *) rc_c_name=$rc_c_rest rc_c_rest= ;;
    esac
    case "$rc_c_name" in
      ''|.) [ -n "$rc_c_rest" ] && continue; rc_chain_real=$rc_c_dir; break ;;
      ..) rc_c_dir=$(dirname -- "$rc_c_dir"); [ -n "$rc_c_rest" ] && continue; rc_chain_real=$rc_c_dir; break ;;
    esac
    rc_c_next=${rc_c_dir%/}/$rc_c_name
    if rc_kernel_path "$rc_c_next"; then
      rc_chain_why="$rc_c_next is under /proc, /sys or /dev; kernel views are never managed"; return 1
    fi
    rc_chain_dir "$rc_c_dir" "$rc_c_next" || return 1
    if [ -L "$rc_c_next" ]; then
      if [ -z "$rc_c_rest" ] && [ "$2" != 1 ]; then rc_chain_real=$rc_c_next; break; fi
      if [ -n "$rc_chain_uid" ]; then
        rc_chain_why="unsafe path transition: $rc_c_next is a symbolic link in a directory $rc_chain_user controls; not followed"; return 1
      fi
      rc_c_hops=$((rc_c_hops + 1))
      if [ "$rc_c_hops" -gt 40 ]; then rc_chain_why="$1: too many symbolic links"; return 1; fi
      rc_c_to=$(readlink -- "$rc_c_next" | head -c 4096)
      [ -n "$rc_c_to" ] || { rc_chain_why="$rc_c_next: cannot read the link"; return 1; }
      case "$rc_c_to" in /*) rc_c_dir=/ ;; esac
      rc_c_rest=${rc_c_to#/}${rc_c_rest:+/$rc_c_rest}
      continue
    fi
    if [ ! -e "$rc_c_next" ]; then
      [ -z "$rc_c_shared" ] || rc_chain_shared=$rc_c_dir
      rc_chain_real=$rc_c_next${rc_c_rest:+/$rc_c_rest}; break
    fi
    if [ -z "$rc_c_rest" ] || [ ! -d "$rc_c_next" ]; then rc_chain_real=$rc_c_next${rc_c_rest:+/$rc_c_rest}; break; fi
    rc_c_dir=$rc_c_next
  done
  if rc_kernel_path "$rc_chain_real"; then
    rc_chain_why="$1 resolves to $rc_chain_real, under /proc, /sys or /dev; kernel views are never managed"; return 1
  fi
}
# rc_chain_dir DIR NEXT: rc_chain's judgement of one directory on the way to NEXT (its entry); sets rc_c_shared when
# DIR is sticky and writable by others and NEXT does not exist.
rc_chain_dir() {
  rc_c_shared=
  # Every answer a command gives here is captured through head -c: a broken or hostile host's stat that never stops
  # printing must not grow this shell without end (the controller's caps only see what reaches stdout).
  rc_dir_stat "$1"; rc_c_st=$rc_d_st
  [ -n "$rc_c_st" ] || { rc_chain_why="cannot stat directory $1"; return 1; }
  rc_c_uid=${rc_c_st%%:*} rc_c_st=${rc_c_st#*:}
  rc_c_gid=${rc_c_st%%:*} rc_c_st=${rc_c_st#*:}
  rc_c_mode=${rc_c_st%%:*} rc_c_st=${rc_c_st#*:}
  rc_c_owner=${rc_c_st%%:*} rc_c_shown=${rc_c_st#*:}
  if [ "$rc_c_uid" != 0 ]; then
    if [ -z "$rc_chain_uid" ]; then rc_chain_uid=$rc_c_uid rc_chain_user=$rc_c_owner
    elif [ "$rc_chain_uid" != "$rc_c_uid" ]; then
      rc_chain_why="unsafe path transition: $1 belongs to $rc_c_owner, inside a directory $rc_chain_user controls"; return 1
    fi
  fi
  rc_c_open=
  case "$rc_c_mode" in ????????w?) rc_c_open=1 ;; esac
  # Group write on a root-group directory is root's own, unless the directory has a POSIX ACL: then the group bits are
  # the ACL's mask (setfacl -m u:alice:rwx shows drwxrwxr-x root:root), and a mask that grants write means some named
  # user or group may write it. ls marks a directory with an ACL by a + after the mode (its 11th character); only
  # those 11 characters are read, so a hostile ls cannot grow this shell. (ls, not find: find cannot see ACLs; SC2012.)
  case "$rc_c_mode" in
    ?????w????)
      if [ "$rc_c_gid" != 0 ]; then rc_c_open=1
      else
        # shellcheck disable=SC2012
        case "$(ls -ld -- "$1" | head -c 11)" in ??????????+) rc_c_open=1 rc_c_shown="$rc_c_shown, with an ACL that grants write" ;; esac
      fi ;;
  esac
  [ -n "$rc_c_open" ] || return 0
  case "$rc_c_mode" in
    *[tT])
      if [ ! -e "$2" ] && [ ! -L "$2" ]; then rc_c_shared=1; return 0; fi
      rc_c_by=$(stat -c %u -- "$2" | head -c 64)
      [ -n "$rc_c_by" ] || { rc_chain_why="cannot stat $2"; return 1; }
      if [ "$rc_c_by" = 0 ] || [ "$rc_c_by" = "$rc_chain_uid" ]; then return 0; fi
      rc_chain_why="unsafe path transition: $2 belongs to $(stat -c %U -- "$2" | head -c 64) in $1, which other users can write ($rc_c_shown)"; return 1 ;;
  esac
  rc_chain_why="unsafe path transition: directory $1 can be written by other users ($rc_c_shown); nothing under it is managed"; return 1
}
# rc_dir_stat DIR: sets rc_d_st to DIR's '%u:%g:%A:%U:%a %U:%G' (empty when it cannot be stat'ed). Every answer a
# command gives here is captured through head -c: a broken or hostile host's stat that never stops printing must not
# grow this shell without end (the controller's caps only see what reaches stdout). A read sets rc_memo=1: a read is one
# snapshot, and the same few directories (/, /etc) lie on the way to every path it judges, so each is stat'ed once per
# read. An apply, which changes directories as it goes, keeps no memo across changes: only one change that moves no
# directory on its way sets it, in its own subshell (PathSafety.OneChangeMemo). Only names without a newline or tab are
# remembered, so
# one entry can never be read as part of another, and only the first 64 (the shared ones come first; a glob's thousand
# directories must not make every lookup scan a thousand entries).
rc_memo_nl='
'
rc_memo_tab='	'
rc_memo_count=0
rc_memo_seen="$rc_memo_nl"
rc_dir_stat() {
  rc_d_keep=
  case "$1" in
    *"$rc_memo_nl"*|*"$rc_memo_tab"*|'') ;;
    *)
      if [ "${rc_memo:-}" = 1 ]; then rc_d_known=$rc_memo_seen rc_d_keep=1; else rc_d_known=$rc_chain_fresh; fi
      case "$rc_d_known" in
        *"$rc_memo_nl$1$rc_memo_tab"*)
          rc_d_st=${rc_d_known#*"$rc_memo_nl$1$rc_memo_tab"}; rc_d_st=${rc_d_st%%"$rc_memo_nl"*}; return 0 ;;
      esac ;;
  esac
  rc_d_st=$(stat -c '%u:%g:%A:%U:%a %U:%G' -- "$1" | head -c 1024)
  [ -n "$rc_d_keep" ] || return 0
  case "$rc_memo_count:$rc_d_st" in
    64:*|*"$rc_memo_nl"*|*:) ;;
    *) rc_memo_seen="$rc_memo_seen$1$rc_memo_tab$rc_d_st$rc_memo_nl" rc_memo_count=$((rc_memo_count + 1)) ;;
  esac
}
# rc_dirs_stat MAX PATH...: stats, in one command, every existing directory on the way to each PATH (at most 64), and
# sets rc_ds_out to the entries of those rc_ds_known (entries as the memo holds them) does not hold, at most MAX: names
# without a newline or tab, paths with . or .. components or doubled slashes skipped. stat follows every link on the way
# to a name, where rc_chain follows none unjudged: so each directory is asked for after every directory above it, and
# none below a name that is not a directory (a link, most often, which its owner may replace by a real directory before
# rc_chain gets there) is kept: what stat saw there was another directory. stat's answer is captured through head -c
# under a timeout, its errors go where rc_dir_stat's go (a flood of them meets the controller's cap), and each line
# must name the directory asked next: from the first that does not, the rest are left to rc_dir_stat.
rc_dirs_stat() {
  rc_ds_out=$rc_memo_nl rc_ds_list=$rc_memo_nl rc_ds_n=0 rc_ds_max=$1; shift
  for rc_ds_p in "$@"; do
    case "$rc_ds_p" in
      /*"$rc_memo_nl"*|/*"$rc_memo_tab"*|*//*|*/./*|*/../*|*/.|*/..) continue ;;
      /*) ;;
      *) continue ;;
    esac
    # The directories on the way, from / down, as far as they exist.
    rc_ds_d=${rc_ds_p%/*} rc_ds_one=
    while :; do
      [ -n "$rc_ds_d" ] || rc_ds_d=/
      rc_ds_one="$rc_ds_d$rc_memo_nl$rc_ds_one"
      [ "$rc_ds_d" != / ] || break
      rc_ds_d=${rc_ds_d%/*}
    done
    while [ -n "$rc_ds_one" ]; do
      rc_ds_d=${rc_ds_one%%"$rc_memo_nl"*} rc_ds_one=${rc_ds_one#*"$rc_memo_nl"}
      [ -d "$rc_ds_d" ] || break
      case "$rc_ds_list" in
        *"$rc_memo_nl$rc_ds_d$rc_memo_nl"*) ;;
        *) [ "$rc_ds_n" -lt 64 ] || break
           rc_ds_list="$rc_ds_list$rc_ds_d$rc_memo_nl" rc_ds_n=$((rc_ds_n + 1)) ;;
      esac
    done
  done
  [ "$rc_ds_n" -gt 0 ] || return 0
  set --
  rc_ds_rest=${rc_ds_list#"$rc_memo_nl"}
  while [ -n "$rc_ds_rest" ]; do set -- "$@" "${rc_ds_rest%%"$rc_memo_nl"*}"; rc_ds_rest=${rc_ds_rest#*"$rc_memo_nl"}; done
  # A line counts only whole (its newline read; the . keeps the last one's): head's cut or timeout's kill ends the
  # answer anywhere, and "drwx" cut from "drwxrwxrwx" would read as a directory only its owner may write.
  rc_ds_st=$(timeout 10 stat --printf='%n\t%F\t%u:%g:%A:%U:%a %U:%G\n' -- "$@" | head -c $(($# * 1024)); echo .)
  rc_ds_st=${rc_ds_st%.} rc_ds_bad=$rc_memo_nl rc_ds_kept=0
  for rc_ds_d in "$@"; do
    case "$rc_ds_st" in *"$rc_memo_nl"*) ;; *) return 0 ;; esac
    rc_ds_line=${rc_ds_st%%"$rc_memo_nl"*}
    [ "${rc_ds_line%%"$rc_memo_tab"*}" = "$rc_ds_d" ] || return 0
    rc_ds_st=${rc_ds_st#*"$rc_memo_nl"}
    rc_ds_line=${rc_ds_line#*"$rc_memo_tab"}
    # Below a name that is not a directory (or was not kept for it), nothing is kept.
    rc_ds_up=${rc_ds_d%/*}
    while [ -n "$rc_ds_up" ]; do
      case "$rc_ds_bad" in *"$rc_memo_nl$rc_ds_up$rc_memo_nl"*) rc_ds_line=; break ;; esac
      rc_ds_up=${rc_ds_up%/*}
    done
    case "${rc_ds_line%%"$rc_memo_tab"*}:${rc_ds_line#*"$rc_memo_tab"}" in
      *"$rc_memo_tab"*|*:|:*) rc_ds_bad="$rc_ds_bad$rc_ds_d$rc_memo_nl" ;;
      directory:*)
        # Numbers where numbers belong and a mode of 10 characters, or the directory is left to rc_dir_stat.
        rc_ds_v=${rc_ds_line#*"$rc_memo_tab"}; rc_ds_u=${rc_ds_v%%:*} rc_ds_v=${rc_ds_v#*:}; rc_ds_g=${rc_ds_v%%:*} rc_ds_v=${rc_ds_v#*:}
        case "$rc_ds_u" in ''|*[!0-9]*) rc_ds_bad="$rc_ds_bad$rc_ds_d$rc_memo_nl"; continue ;; esac
        case "$rc_ds_g" in ''|*[!0-9]*) rc_ds_bad="$rc_ds_bad$rc_ds_d$rc_memo_nl"; continue ;; esac
        case "${rc_ds_v%%:*}" in ??????????) ;; *) rc_ds_bad="$rc_ds_bad$rc_ds_d$rc_memo_nl"; continue ;; esac
        case "$rc_ds_known$rc_ds_out" in *"$rc_memo_nl$rc_ds_d$rc_memo_tab"*) continue ;; esac
        [ "$rc_ds_kept" -lt "$rc_ds_max" ] || continue
        rc_ds_out="$rc_ds_out$rc_ds_d$rc_memo_tab${rc_ds_line#*"$rc_memo_tab"}$rc_memo_nl" rc_ds_kept=$((rc_ds_kept + 1)) ;;
      *) rc_ds_bad="$rc_ds_bad$rc_ds_d$rc_memo_nl" ;;
    esac
  done
}
# rc_memo_seed PATH...: a read about to judge PATHs stats the directories on their way that the memo does not hold yet
# at once (rc_dirs_stat), up to the memo's 64 entries; rc_chain then finds them there.
rc_memo_seed() {
  [ "${rc_memo:-}" = 1 ] || return 0
  rc_ds_known=$rc_memo_seen
  rc_dirs_stat $((64 - rc_memo_count)) "$@"
  rc_ds_rest=${rc_ds_out#"$rc_memo_nl"}
  while [ -n "$rc_ds_rest" ]; do
    rc_memo_seen="$rc_memo_seen${rc_ds_rest%%"$rc_memo_nl"*}$rc_memo_nl" rc_memo_count=$((rc_memo_count + 1))
    rc_ds_rest=${rc_ds_rest#*"$rc_memo_nl"}
  done
}
# rc_kernel_path PATH: whether PATH is /proc, /sys or /dev or under one of them.
rc_kernel_path() {
  case "$1" in /proc|/proc/*|/sys|/sys/*|/dev|/dev/*) return 0 ;; esac
  return 1
}
# rc_safe PATH: for the writers (rc_open, rc_tmpfile): PATH passes rc_chain (links at the end are rc_open's concern)
# and no user other than the one running controls it — root writes only where root alone controls the path.
rc_safe() {
  rc_chain "$1" 0 || { echo "$rc_chain_why; nothing changed" >&2; return 1; }
  if [ -n "$rc_chain_uid" ] && [ "$rc_chain_uid" != "$(id -u)" ]; then
    echo "$1: $rc_chain_user controls a directory on the way; written only as $rc_chain_user, nothing changed" >&2; return 1
  fi
}
# rc_as UID PATH SCRIPT [INDEX]: runs SCRIPT with p=PATH — in this shell when UID is empty, otherwise as that user with
# that user's groups only (setpriv; the library, $rc_lib, goes along), so nothing the user could redirect gains
# anything. The child gets its script on stdin (never in its arguments, which every local user can read) and none
# of root's open files. A read passes INDEX, its resource's index: the child runs as a user who may ptrace it or write
# to its standard output through /proc, so of what it prints only records of that resource reach the fact output —
# never a record of another resource or another section, which that user could otherwise forge. For the same reason
# root bounds what it reads back: a line is cut at 1 MiB before awk (which would hold a line of any length in memory)
# sees it, and after rc_as_seconds a root-side timeout kills the child's process group (the user could stop a timeout
# inside the child) and a second one ends root's reading of the pipe (a process that left the group may hold it open).
# A read's child writes its errors into that pipe too (awk drops them): given root's standard error, a process of the
# user's that left the group would hold the SSH session open until the host's timeout.
rc_as_seconds=120
rc_as() {
  if [ -z "$1" ]; then p=$2; eval "$3"; return; fi
  rc_a_gid=$(getent passwd "$1" | head -c 4096 | cut -d: -f4)
  if [ -z "$rc_a_gid" ]; then echo "user $1 controls $2 but has no account; nothing done" >&2; return 1; fi
  case $- in *e*) rc_a_e=-e ;; *) rc_a_e=+e ;; esac
  if [ -z "${4:-}" ]; then rc_as_child "$@"; return; fi
  rc_as_child "$@" 2>&1 | timeout -k 5 $((rc_as_seconds + 5)) cat | cut -b 1-1048576 | RC_AS_INDEX=$4 awk -F '\t' '$1 ~ /^[A-Z]$/ && $2 == ENVIRON["RC_AS_INDEX"]'
}
rc_as_child() {
  # 'p=$1' is the child's text, expanded there (SC2016).
  # shellcheck disable=SC2016
  (cd / && printf '%s\n' '{' "$rc_lib" 'p=$1' "$3" '} </dev/null' |
    timeout -k 5 "$rc_as_seconds" setpriv --reuid="$1" --regid="$rc_a_gid" --init-groups -- sh "$rc_a_e" -s -- "$2" 8<&- 9<&-)
}
