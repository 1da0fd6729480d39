namespace Reconciler.Core.Shell;

/// <summary>
/// Reads a file's content on the host under the disclosure policy: the host always reports the content's SHA-256,
/// size and line count, and sends the text itself only when any local user of that host could already read it —
/// a regular file, world-readable, every directory of its resolved path (links followed) world-searchable, at most <see cref="MaxShownBytes"/>,
/// and not declared sensitive. Otherwise it sends the reason instead, so a pull request cannot make a plan publish
/// <c>/etc/shadow</c> or a host key: the bytes never leave the host. Every read is bounded in size and time.
/// </summary>
public static class HostText
{
    /// <summary>Larger files are compared by digest only; their text is not sent.</summary>
    public const int MaxShownBytes = 64 * 1024;

    /// <summary>A managed file larger than this is not read at all (it is not a configuration file).</summary>
    public const int MaxReadBytes = 16 * 1024 * 1024;

    /// <summary>Every command that reads content gets this long; a FIFO, a device or a stalled filesystem cannot hang the plan.</summary>
    public const int ReadSeconds = 10;

    /// <summary>The command printing the SHA-256 of the file <paramref name="pathWord"/> names, read within the limits.</summary>
    public static string Digest(string pathWord) =>
        $"timeout {ReadSeconds} head -c {MaxReadBytes} -- {pathWord} | sha256sum | cut -d' ' -f1";

    /// <summary>
    /// Functions for read scripts. <c>rc_text I PATH SHOW</c> prints, for a regular file PATH that rc_chain resolved and
    /// resource index I: <c>T I BASE64</c> (the whole text, when SHOW is 1 and the policy allows; its digest, size and
    /// line count are the controller's to take), or else <c>H I SHA256</c>, <c>Z I BYTES LINES</c> and, when SHOW is 1,
    /// <c>W I REASON</c> (why it is not shown); <c>X I REASON</c> when the file cannot be read within the limits.
    /// <c>rc_hidden PATH [RESOLVED [MODE]]</c> prints why a local user could not read PATH, or nothing.
    /// </summary>
    public static string Library => PathSafety.Carry(PathSafety.Functions + "\n" + Functions);

    // rc_hidden walks the RESOLVED path: a link component (/proc/self/cwd) says nothing about who may search what it
    // leads to, so the directories judged are the ones the kernel would pass through. A caller whose path rc_chain
    // resolved already (every link on the way followed, none left at the end) says so with RESOLVED=1, and the path
    // is not resolved again. The directories' modes come from rc_dir_stat, so a read stats each directory once.
    // rc_hidden_check sets rc_hidden_why instead of printing it: no subshell for the common answer, "nothing".
    private static readonly string Functions = $$"""
        rc_hidden_check() {
          rc_hidden_why=
          if [ "${2:-}" = 1 ]; then rc_h_p=$1
          else rc_h_p=$(readlink -f -- "$1") || { rc_hidden_why="$1 cannot be resolved"; return 0; }
          fi
          if rc_kernel_path "$rc_h_p"; then rc_hidden_why="$1 resolves under /proc, /sys or /dev"; return 0; fi
          case "${3:-$(stat -L -c %A -- "$rc_h_p" 2>/dev/null | head -c 64)}" in
            ???????r??) ;;
            *) rc_hidden_why=$(stat -L -c '%n is not world-readable (%a %U:%G)' -- "$1" | tr -d '\n' | tr '\t' ' '); return 0 ;;
          esac
          rc_h_d=${rc_h_p%/*}
          while :; do
            [ -n "$rc_h_d" ] || rc_h_d=/
            rc_dir_stat "$rc_h_d"; rc_h_m=${rc_d_st#*:}; rc_h_m=${rc_h_m#*:}; rc_h_m=${rc_h_m%%:*}
            case "$rc_h_m" in
              ?????????[xt]) ;;
              *) rc_hidden_why=$(stat -c 'directory %n is not world-searchable (%a %U:%G)' -- "$rc_h_d" | tr -d '\n' | tr '\t' ' '); return 0 ;;
            esac
            [ "$rc_h_d" = / ] && return 0
            rc_h_d=${rc_h_d%/*}
          done
        }
        rc_hidden() { rc_hidden_check "$@"; printf '%s' "$rc_hidden_why"; }
        rc_text() {
          [ -f "$2" ] || { printf 'X\t%s\t%s\n' "$1" "not a regular file"; return 0; }
          [ -r "$2" ] || { printf 'X\t%s\t%s\n' "$1" "not readable by $(id -un), who controls its directory"; return 0; }
          # Size and mode in one stat, captured through head -c (a hostile stat must not grow this shell) and checked.
          rc_t_st=$(stat -L -c '%s %A' -- "$2" | head -c 256); rc_t_size=${rc_t_st%% *} rc_t_mode=${rc_t_st#* }
          case "$rc_t_size" in ''|*[!0-9]*) printf 'X\t%s\t%s\n' "$1" "cannot stat"; return 0 ;; esac
          if [ "$rc_t_size" -gt {{MaxReadBytes}} ]; then
            printf 'X\t%s\t%s\n' "$1" "larger than {{MaxReadBytes / 1024 / 1024}} MiB ($rc_t_size bytes); not read"; return 0
          fi
          rc_hidden_why="larger than {{MaxShownBytes / 1024}} KiB"
          if [ "$3" = 1 ] && [ "$rc_t_size" -le {{MaxShownBytes}} ]; then
            rc_hidden_check "$2" 1 "$rc_t_mode"
            if [ -z "$rc_hidden_why" ]; then
              # Shown: read once, and the controller takes the digest, size and line count from the text (LiveText).
              # One byte over the limit is read, so a file that grew since its size was taken is seen to have.
              printf 'T\t%s\t' "$1"; timeout {{ReadSeconds}} head -c {{MaxShownBytes + 1}} -- "$2" | base64 -w0; printf '\n'
              return 0
            fi
          fi
          rc_t_sum=$({{Digest("\"$2\"")}})
          rc_t_lines=$(timeout {{ReadSeconds}} head -c {{MaxReadBytes}} -- "$2" | wc -l)
          printf 'H\t%s\t%s\n' "$1" "$rc_t_sum"
          printf 'Z\t%s\t%s\t%s\n' "$1" "$rc_t_size" "$rc_t_lines"
          [ "$3" = 1 ] || return 0
          printf 'W\t%s\t%s\n' "$1" "$rc_hidden_why"
        }
        """;
}
