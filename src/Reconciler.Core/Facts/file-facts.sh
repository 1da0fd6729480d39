## The file facts of FileFacts (its notes name every record). Sent after HostText's library (rc_text, rc_hidden_check,
## rc_dir_stat), carried into rc_as's child like it. Placeholders: @RC_READ_SECONDS@ (every read's time limit),
## @RC_MAX_SHOWN@ (what HostText may show), @RC_BATCH_MAX@ (paths one batch holds),
## @RC_ENTRY_BYTES@ (what one archive entry may take: header, long name, padded text).
# rc_file_facts I FOLLOW ATTR CONTENT PATH: the records of one path, read on its own (PATH judged by rc_chain already):
# a link is reported with its target and never read through (with FOLLOW 1, rc_chain followed every link it could, so
# a link here is a dangling one: nothing); stat of what exists, printed and never captured (a hostile host's stat goes
# to the controller, whose caps and parser judge it); chattr flags when ATTR is 1; the content when CONTENT is 2
# (text, shown when HostText's policy allows) or 1 (digest only) — FileContentRead's numbers.
rc_file_facts() {
  if [ -L "$5" ]; then
    if [ "$2" = 1 ]; then printf 'N\t%s\n' "$1"
    else printf 'L\t%s\t%s\n' "$1" "$(readlink -- "$5" | head -c 1024 | tr -d '\n' | tr '\t' ' ')"; fi
  elif [ -e "$5" ]; then
    stat -L --printf="S\\t$1\\t%F\\t%U\\t%u\\t%G\\t%g\\t%a\\n" -- "$5"
    [ "$3" != 1 ] || rc_file_attr "$1" "$5"
    if [ "$4" != 0 ] && [ -f "$5" ]; then
      if [ "$4" = 2 ]; then rc_text "$1" "$5" 1; else rc_text "$1" "$5" 0; fi
    fi
  else printf 'N\t%s\n' "$1"; fi
}
# rc_file_attr I PATH: lsattr's flags. lsattr refuses links and never opens a FIFO or device; the timeout covers a
# stalled filesystem. The flags are the first word of its line, captured through head -c like every answer kept here.
rc_file_attr() {
  rc_f_attr=$(timeout "$rc_fb_seconds" lsattr -d -- "$2" 2>/dev/null | head -c 1024); printf 'A\t%s\t%s\n' "$1" "${rc_f_attr%% *}"
}
# Most managed paths lie where root alone controls every directory, and reading each on its own costs the host about
# seven processes a path. Such a path is deferred instead (rc_file_defer) and all of them are read together at the end
# of the query (rc_file_batch): one stat for all, one archive for every text that may be shown. Only paths of plain
# characters are deferred, so stat's and tar's names of them are exact and can be checked; from the first line of stat's
# answer that does not name the path asked next (one gone since it was judged, an answer out of order or twice), every
# path left is read on its own, as is every path a user controls (rc_as).
rc_fb_n=0 rc_fb_max=@RC_BATCH_MAX@ rc_fb_shown=@RC_MAX_SHOWN@ rc_fb_entry=@RC_ENTRY_BYTES@ rc_fb_seconds=@RC_READ_SECONDS@
# rc_file_defer I FOLLOW ATTR CONTENT PATH: defers PATH when root alone controls it, it exists and is no link; status 1
# (read it now) otherwise.
rc_file_defer() {
  [ -z "$rc_chain_uid" ] && [ "$rc_fb_n" -lt "$rc_fb_max" ] || return 1
  case "$5" in /*[!A-Za-z0-9._/+@:=,-]*|/*/|/) return 1 ;; /*) ;; *) return 1 ;; esac
  [ -e "$5" ] && [ ! -L "$5" ] || return 1
  eval "rc_fb_i_$rc_fb_n=\$1 rc_fb_f_$rc_fb_n=\$2 rc_fb_a_$rc_fb_n=\$3 rc_fb_c_$rc_fb_n=\$4 rc_fb_p_$rc_fb_n=\$5"
  rc_fb_n=$((rc_fb_n + 1))
}
# rc_file_batch: the records of every deferred path. stat's answer is captured through head -c and checked line by
# line against the path it must name; its fields are printed as the S record. A text that may be shown is named by an
# R record (index and path) and sent as one tar archive (Y record) the controller checks entry by entry against those
# names; a file tar finds changed, gone or grown shows there as what it is, never as another file's text.
rc_file_batch() {
  [ "$rc_fb_n" -gt 0 ] || return 0
  set --
  rc_fb_k=0
  while [ "$rc_fb_k" -lt "$rc_fb_n" ]; do eval "set -- \"\$@\" \"\$rc_fb_p_$rc_fb_k\""; rc_fb_k=$((rc_fb_k + 1)); done
  # Errors dropped through a pipe that takes 4 KiB (a stat that floods them dies on it), the whole bounded in time.
  rc_fb_st=$({ timeout "$rc_fb_seconds" stat -L --printf='%n\t%F\t%U\t%u\t%G\t%g\t%a\t%s\t%A\n' -- "$@" 2>&1 >&3 | head -c 4096 >/dev/null; } 3>&1 | head -c $((rc_fb_n * 1024)))
  rc_fb_st="$rc_fb_st$rc_memo_nl"
  set --
  rc_fb_k=0
  while [ "$rc_fb_k" -lt "$rc_fb_n" ]; do
    eval "rc_fb_i=\$rc_fb_i_$rc_fb_k rc_fb_f=\$rc_fb_f_$rc_fb_k rc_fb_a=\$rc_fb_a_$rc_fb_k rc_fb_c=\$rc_fb_c_$rc_fb_k rc_fb_p=\$rc_fb_p_$rc_fb_k"
    rc_fb_k=$((rc_fb_k + 1))
    rc_fb_line=${rc_fb_st%%"$rc_memo_nl"*}
    # Once a line does not name the path asked next, stat's answer is not followed any further.
    [ "${rc_fb_line%%"$rc_memo_tab"*}" = "$rc_fb_p" ] || rc_fb_st=
    if [ -z "$rc_fb_st" ]; then rc_file_facts "$rc_fb_i" "$rc_fb_f" "$rc_fb_a" "$rc_fb_c" "$rc_fb_p"; continue; fi
    rc_fb_st=${rc_fb_st#*"$rc_memo_nl"}
    # name, type, owner, uid, group, gid, mode, size, symbolic mode: eight tabs exactly, numbers where numbers belong.
    rc_fb_rest=${rc_fb_line#*"$rc_memo_tab"}
    rc_fb_type=${rc_fb_rest%%"$rc_memo_tab"*} rc_fb_rest=${rc_fb_rest#*"$rc_memo_tab"}
    rc_fb_owner=${rc_fb_rest%%"$rc_memo_tab"*} rc_fb_rest=${rc_fb_rest#*"$rc_memo_tab"}
    rc_fb_uid=${rc_fb_rest%%"$rc_memo_tab"*} rc_fb_rest=${rc_fb_rest#*"$rc_memo_tab"}
    rc_fb_group=${rc_fb_rest%%"$rc_memo_tab"*} rc_fb_rest=${rc_fb_rest#*"$rc_memo_tab"}
    rc_fb_gid=${rc_fb_rest%%"$rc_memo_tab"*} rc_fb_rest=${rc_fb_rest#*"$rc_memo_tab"}
    rc_fb_mode=${rc_fb_rest%%"$rc_memo_tab"*} rc_fb_rest=${rc_fb_rest#*"$rc_memo_tab"}
    rc_fb_size=${rc_fb_rest%%"$rc_memo_tab"*} rc_fb_sym=${rc_fb_rest#*"$rc_memo_tab"}
    rc_fb_ok=1
    case "$rc_fb_uid" in ''|*[!0-9]*) rc_fb_ok= ;; esac
    case "$rc_fb_gid" in ''|*[!0-9]*) rc_fb_ok= ;; esac
    case "$rc_fb_mode" in ''|*[!0-7]*) rc_fb_ok= ;; esac
    case "$rc_fb_size" in ''|*[!0-9]*|????????????????*) rc_fb_ok= ;; esac
    case "$rc_fb_sym" in ??????????) ;; *) rc_fb_ok= ;; esac
    if [ -z "$rc_fb_ok" ]; then rc_fb_st=; rc_file_facts "$rc_fb_i" "$rc_fb_f" "$rc_fb_a" "$rc_fb_c" "$rc_fb_p"; continue; fi
    printf 'S\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rc_fb_i" "$rc_fb_type" "$rc_fb_owner" "$rc_fb_uid" "$rc_fb_group" "$rc_fb_gid" "$rc_fb_mode"
    [ "$rc_fb_a" != 1 ] || rc_file_attr "$rc_fb_i" "$rc_fb_p"
    [ "$rc_fb_c" != 0 ] || continue
    case "$rc_fb_type" in 'regular file'|'regular empty file') ;; *) continue ;; esac
    if [ "$rc_fb_c" = 2 ] && [ "$rc_fb_size" -le "$rc_fb_shown" ]; then
      rc_hidden_check "$rc_fb_p" 1 "$rc_fb_sym"
      if [ -z "$rc_hidden_why" ]; then
        printf 'R\t%s\t%s\n' "$rc_fb_i" "$rc_fb_p"; set -- "$@" "${rc_fb_p#/}"; continue
      fi
    fi
    if [ "$rc_fb_c" = 2 ]; then rc_text "$rc_fb_i" "$rc_fb_p" 1; else rc_text "$rc_fb_i" "$rc_fb_p" 0; fi
  done
  [ "$#" -gt 0 ] || return 0
  # tar stores each file as it finds it (a link as a link, a file whatever its size then), in 512-byte blocks with no
  # padding to a record (-b 1); head bounds the whole archive by what its entries and its end may take, and a cut
  # archive is the controller's to refuse entry by entry.
  printf 'Y\t'
  (cd / && timeout "$rc_fb_seconds" tar --no-recursion --hard-dereference -b 1 -cf - -- "$@" 2>/dev/null) |
    head -c $(($# * rc_fb_entry + 1024)) | base64 -w0
  printf '\n'
}
