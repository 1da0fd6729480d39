## The health kind's read (HealthFacts): the first seed's hand checks (df -i, MemFree + Inactive, tune2fs -l, SYN_RECV)
## and load, uptime and the host's clock, in one section of the drift run's one fact script. HealthFacts.ReadScript
## sends this file followed by a call of rc_hl_read. Records, tab-separated, every field bounded:
##   CLOCK EPOCH                                  the host's clock (date +%s)
##   UPTIME SECONDS | UPTIME -                    /proc/uptime's first field
##   LOAD ONE FIVE FIFTEEN CPUS | LOAD -          /proc/loadavg and nproc
##   MEM TOTAL AVAILABLE|- FREE INACTIVE | MEM -  /proc/meminfo, KiB (MemAvailable is missing before Linux 3.14)
##   SYN COUNT ss|proc | SYN -                    sockets in SYN_RECV (IPv4 and IPv6)
##   FS I MOUNT SOURCE TYPE BLOCKS BFREE BAVAIL BSIZE FILES FFREE
##                                                one filesystem (stat -f); MOUNT and SOURCE as /proc/self/mountinfo
##                                                escapes them (space, tab, newline, backslash as \ooo octal)
##   CHECK I COUNT MAX LASTCHECKED|- | CHECK I - REASON
##                                                an ext2/3/4 filesystem's tune2fs -l counters (LASTCHECKED epoch)
##   LEFT N                                       filesystems not shown (over the limit, a name too long, stat failed)
##   END                                          the read finished
## Lines starting with ## are not sent.
# rc_hl_tune2fs I DEVICE: the CHECK record of filesystem I from tune2fs -l DEVICE (a block device, or an image file in
# the tests); LC_ALL=C keeps its labels and its date format (ctime's) the ones read here.
rc_hl_tune2fs() {
  if ! command -v tune2fs >/dev/null 2>&1; then
    printf 'CHECK\t%s\t-\ttune2fs is not installed\n' "$1"; return 0
  fi
  rc_hl_t=$(LC_ALL=C timeout -k 1 10 tune2fs -l "$2" 2>/dev/null </dev/null | head -n 200 | cut -c1-200 | awk -F ':' '
    $1 == "Mount count" { c = $2 } $1 == "Maximum mount count" { m = $2 }
    $1 == "Last checked" { l = substr($0, index($0, ":") + 1) }
    END { gsub(/[ \t]/, "", c); gsub(/[ \t]/, "", m); sub(/^[ \t]+/, "", l); printf "%s\t%s\t%s\n", c, m, l }')
  rc_hl_c=$(printf '%s\n' "$rc_hl_t" | cut -f1)
  rc_hl_m=$(printf '%s\n' "$rc_hl_t" | cut -f2)
  rc_hl_l=$(printf '%s\n' "$rc_hl_t" | cut -f3)
  case "$rc_hl_c:$rc_hl_m" in
    *[!0-9:-]*|:*|*:) printf 'CHECK\t%s\t-\ttune2fs -l could not read its superblock\n' "$1"; return 0 ;;
  esac
  # The date is the host's local time as ctime prints it; date -d reads it in the same zone.
  rc_hl_e=-
  if [ -n "$rc_hl_l" ] && [ "$rc_hl_l" != "<none>" ]; then
    rc_hl_e=$(date -d "$rc_hl_l" +%s 2>/dev/null | head -c 24) || rc_hl_e=-
    case "$rc_hl_e" in ''|*[!0-9-]*) rc_hl_e=- ;; esac
  fi
  printf 'CHECK\t%s\t%s\t%s\t%s\n' "$1" "$rc_hl_c" "$rc_hl_m" "$rc_hl_e"
}
# rc_hl_mounts: the filesystems to measure, at most 64, one per line: MAJ:MIN, MOUNT, SOURCE, TYPE (tab-separated, as
# mountinfo escapes them), then a line "LEFT N" counting the ones left out. Left out on purpose:
#  - kernel and pseudo filesystems that hold no data (proc, sysfs, cgroup, devpts, mqueue, ...);
#  - network and FUSE filesystems: their use is the server's to report, and stat on a hung one can block the read;
#  - read-only images (squashfs, iso9660, udf): always full, by design;
#  - anything mounted under /proc or /sys (a container's masks over kernel files);
#  - a mount point mounted over again (the last mount is the one in use) and a second mount point of one filesystem
#    (bind mounts: the same device, MAJ:MIN), keeping the one that shows the filesystem's root.
# tmpfs and devtmpfs stay: they fill like disks (a /run or /dev/shm out of inodes stops services).
rc_hl_mounts() {
  head -n 4096 /proc/self/mountinfo 2>/dev/null | awk '
    {
      sep = 0; for (i = 7; i <= NF; i++) if ($i == "-") { sep = i; break }
      if (sep == 0 || NF < sep + 2) next
      dev = $3; root = $4; mnt = $5; type = $(sep + 1); src = $(sep + 2)
      if (type ~ /^(proc|sysfs|cgroup|cgroup2|devpts|mqueue|debugfs|tracefs|securityfs|pstore|bpf|configfs|fusectl|hugetlbfs|autofs|binfmt_misc|rpc_pipefs|nsfs|efivarfs|selinuxfs|ramfs|nfsd|squashfs|iso9660|udf|nfs|nfs4|cifs|smb3|smbfs|ncpfs|ceph|glusterfs|9p|afs|fuse|fuseblk|fuse\..*|virtiofs|lustre|gpfs|ocfs2|gfs2|coda|davfs|orangefs|beegfs|vboxsf|pvfs2|ncp|smb|cephfs)$/) next
      if (mnt ~ /^\/(proc|sys)(\/|$)/) next
      if (length(mnt) > 1024 || length(src) > 256 || length(type) > 64 || dev !~ /^[0-9]+:[0-9]+$/) { long++; next }
      if (!(mnt in at)) order[n++] = mnt
      at[mnt] = dev; src_of[mnt] = src; type_of[mnt] = type; root_of[mnt] = root
    }
    END {
      left = long
      for (i = 0; i < n; i++) {
        m = order[i]; d = at[m]
        if (!(d in first) || (root_of[first[d]] != "/" && root_of[m] == "/")) first[d] = m
      }
      shown = 0
      for (i = 0; i < n; i++) {
        m = order[i]
        if (first[at[m]] != m) continue
        if (shown >= 64) { left++; continue }
        printf "%s\t%s\t%s\t%s\n", at[m], m, src_of[m], type_of[m]; shown++
      }
      printf "LEFT\t%d\n", left
    }'
}
# rc_hl_filesystems: FS and CHECK records of each filesystem rc_hl_mounts names, then LEFT.
# stat -f of one filesystem may take 5 seconds (then KILL: a process in an uninterruptible wait ignores TERM), and all of
# them together at most 15 (then one more stat at most): a host with hung mounts of a type not left out above still answers the drift run within
# its time, the filesystems past the deadline counted in LEFT.
rc_hl_filesystems() {
  rc_hl_i=0
  rc_hl_left=0
  rc_hl_until=$(( $(date +%s) + 15 ))
  rc_hl_list=$(rc_hl_mounts)
  rc_hl_tab=$(printf '\t')
  while IFS="$rc_hl_tab" read -r rc_hl_dev rc_hl_mnt rc_hl_src rc_hl_type; do
    if [ "$rc_hl_dev" = LEFT ]; then rc_hl_left=$((rc_hl_left + rc_hl_mnt)); continue; fi
    # mountinfo writes a space, tab, newline or backslash in a name as \ooo: the path itself, for stat, is decoded
    # here (printf %b reads \0ooo); the record keeps the escaped form, one safe line.
    rc_hl_path=$(printf '%s' "$rc_hl_mnt" | sed 's/\\/\\0/g')
    rc_hl_path=$(printf '%bx' "$rc_hl_path")
    rc_hl_path=${rc_hl_path%x}
    if [ "$(date +%s)" -ge "$rc_hl_until" ]; then rc_hl_left=$((rc_hl_left + 1)); continue; fi
    rc_hl_st=$(timeout -k 1 5 stat -f -c '%b %f %a %S %c %d' -- "$rc_hl_path" 2>/dev/null </dev/null | head -n 1 | head -c 200)
    case "$rc_hl_st" in
      *[!0-9\ ]*|'') rc_hl_left=$((rc_hl_left + 1)); continue ;;
    esac
    # shellcheck disable=SC2086 # six numbers, split on purpose
    set -- $rc_hl_st
    [ "$#" -eq 6 ] || { rc_hl_left=$((rc_hl_left + 1)); continue; }
    printf 'FS\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rc_hl_i" "$rc_hl_mnt" "$rc_hl_src" "$rc_hl_type" "$1" "$2" "$3" "$4" "$5" "$6"
    case "$rc_hl_type" in
      ext2|ext3|ext4)
        # The mount's source, or the device udev names by its number (a root mounted as /dev/root).
        rc_hl_blk=$rc_hl_src
        if [ ! -b "$rc_hl_blk" ]; then rc_hl_blk="/dev/block/$rc_hl_dev"; fi
        if [ -b "$rc_hl_blk" ] && [ -r "$rc_hl_blk" ]; then
          rc_hl_tune2fs "$rc_hl_i" "$rc_hl_blk"
        elif [ -b "$rc_hl_blk" ]; then
          printf 'CHECK\t%s\t-\tits block device is not readable by this user\n' "$rc_hl_i"
        else
          printf 'CHECK\t%s\t-\tno block device for it on this host\n' "$rc_hl_i"
        fi
        ;;
    esac
    rc_hl_i=$((rc_hl_i + 1))
  done <<RC_HL_MOUNTS
$rc_hl_list
RC_HL_MOUNTS
  printf 'LEFT\t%s\n' "$rc_hl_left"
}
# rc_hl_syn: sockets in SYN_RECV, by ss when it answers, else counted in /proc/net/tcp and tcp6 (state 03).
rc_hl_syn() {
  if command -v ss >/dev/null 2>&1; then
    rc_hl_n=$({ timeout -k 1 20 ss -Htan state syn-recv 2>/dev/null </dev/null || echo rc-hl-ss-failed; } |
      awk '$0 == "rc-hl-ss-failed" { f = 1; next } { n++ } END { if (f) print "-"; else print n + 0 }')
    if [ "$rc_hl_n" != - ]; then printf 'SYN\t%s\tss\n' "$rc_hl_n"; return 0; fi
  fi
  if [ -r /proc/net/tcp ]; then
    cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$4 == "03" { n++ } END { printf "SYN\t%d\tproc\n", n }'
  else
    printf 'SYN\t-\n'
  fi
}
rc_hl_read() {
  printf 'CLOCK\t%s\n' "$(date +%s | head -c 24)"
  rc_hl_u=$(head -c 64 /proc/uptime 2>/dev/null | awk '{ print $1 }')
  case "$rc_hl_u" in ''|*[!0-9.]*) printf 'UPTIME\t-\n' ;; *) printf 'UPTIME\t%s\n' "$rc_hl_u" ;; esac
  rc_hl_cpus=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null)
  head -c 128 /proc/loadavg 2>/dev/null | awk -v c="$rc_hl_cpus" '
    NF >= 3 && c ~ /^[0-9]+$/ { printf "LOAD\t%s\t%s\t%s\t%s\n", $1, $2, $3, c; ok = 1 } END { if (!ok) print "LOAD\t-" }'
  head -n 200 /proc/meminfo 2>/dev/null | awk '
    $1 == "MemTotal:" { t = $2 } $1 == "MemAvailable:" { a = $2 } $1 == "MemFree:" { f = $2 } $1 == "Inactive:" { i = $2 }
    END { if (t == "" || f == "" || i == "") print "MEM\t-"; else printf "MEM\t%s\t%s\t%s\t%s\n", t, (a == "" ? "-" : a), f, i }'
  rc_hl_syn
  rc_hl_filesystems
  printf 'END\n'
}
