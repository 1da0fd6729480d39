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
    /// Functions for read scripts. <c>rc_text I PATH SHOW</c> prints, for a regular file PATH and resource index I:
    /// <c>H I SHA256</c>, <c>Z I BYTES LINES</c>, then <c>C I BASE64</c> (the text, when SHOW is 1 and the policy allows)
    /// or <c>W I REASON</c> (why it is not shown); <c>X I REASON</c> when the file cannot be read within the limits.
    /// <c>rc_hidden PATH</c> prints why a local user could not read PATH, or nothing.
    /// </summary>
    public static string Library => PathSafety.Carry(PathSafety.Functions + "\n" + Functions);

    // rc_hidden walks the RESOLVED path: a link component (/proc/self/cwd) says nothing about who may search what it
    // leads to, so the directories judged are the ones the kernel would pass through.
    private static readonly string Functions = $$"""
        rc_hidden() {
          rc_h_p=$(readlink -f -- "$1") || { printf '%s' "$1 cannot be resolved"; return 0; }
          if rc_kernel_path "$rc_h_p"; then printf '%s' "$1 resolves under /proc, /sys or /dev"; return 0; fi
          case "$(stat -L -c %A -- "$rc_h_p" 2>/dev/null)" in
            ???????r??) ;;
            *) stat -L -c '%n is not world-readable (%a %U:%G)' -- "$1" | tr -d '\n' | tr '\t' ' '; return 0 ;;
          esac
          rc_h_d=$(dirname -- "$rc_h_p")
          while :; do
            case "$(stat -c %A -- "$rc_h_d" 2>/dev/null)" in
              ?????????[xt]) ;;
              *) stat -c 'directory %n is not world-searchable (%a %U:%G)' -- "$rc_h_d" | tr -d '\n' | tr '\t' ' '; return 0 ;;
            esac
            [ "$rc_h_d" = / ] && return 0
            rc_h_d=$(dirname -- "$rc_h_d")
          done
        }
        rc_text() {
          [ -f "$2" ] || { printf 'X\t%s\t%s\n' "$1" "not a regular file"; return 0; }
          [ -r "$2" ] || { printf 'X\t%s\t%s\n' "$1" "not readable by $(id -un), who controls its directory"; return 0; }
          rc_t_size=$(stat -L -c %s -- "$2") || { printf 'X\t%s\t%s\n' "$1" "cannot stat"; return 0; }
          if [ "$rc_t_size" -gt {{MaxReadBytes}} ]; then
            printf 'X\t%s\t%s\n' "$1" "larger than {{MaxReadBytes / 1024 / 1024}} MiB ($rc_t_size bytes); not read"; return 0
          fi
          rc_t_sum=$({{Digest("\"$2\"")}})
          rc_t_lines=$(timeout {{ReadSeconds}} head -c {{MaxReadBytes}} -- "$2" | wc -l)
          printf 'H\t%s\t%s\n' "$1" "$rc_t_sum"
          printf 'Z\t%s\t%s\t%s\n' "$1" "$rc_t_size" "$rc_t_lines"
          [ "$3" = 1 ] || return 0
          if [ "$rc_t_size" -gt {{MaxShownBytes}} ]; then
            printf 'W\t%s\t%s\n' "$1" "larger than {{MaxShownBytes / 1024}} KiB"; return 0
          fi
          rc_t_why=$(rc_hidden "$2")
          if [ -n "$rc_t_why" ]; then printf 'W\t%s\t%s\n' "$1" "$rc_t_why"; return 0; fi
          printf 'C\t%s\t%s\n' "$1" "$(timeout {{ReadSeconds}} head -c {{MaxShownBytes}} -- "$2" | base64 -w0)"
        }
        """;
}
