namespace Reconciler.Core.Shell;

/// <summary>
/// Functions defined once at the top of every apply script. They need only a POSIX shell, coreutils and
/// (for immutable files) e2fsprogs' chattr/lsattr — no agent and no Python on the target.
/// </summary>
public static class ShellLibrary
{
    public const string Source = """
        # rc_unlock PATH: clear the immutable flag so PATH can be changed; rc_relock (run by the EXIT trap)
        # sets it back, so a failed change never leaves a protected file unprotected.
        RC_RELOCK=
        rc_unlock() {
          case "$(lsattr -d -- "$1" 2>/dev/null | cut -d' ' -f1)" in
            *i*) chattr -i -- "$1" && RC_RELOCK=$1 ;;
          esac
        }
        rc_relock() {
          if [ -n "$RC_RELOCK" ]; then chattr +i -- "$RC_RELOCK"; RC_RELOCK=; fi
        }
        # rc_write PATH BASE64: atomic write — a temp file in the same directory, renamed over PATH, keeping
        # PATH's owner and mode when it exists. Readers see the old or the new file, never a partial one.
        rc_write() {
          rc_tmp=$(mktemp "$(dirname -- "$1")/.reconciler.XXXXXX") || return 1
          if printf '%s' "$2" | base64 -d > "$rc_tmp" && rc_commit "$rc_tmp" "$1"; then return 0; fi
          rm -f -- "$rc_tmp"; return 1
        }
        # rc_commit TMP PATH: rename TMP over PATH, first copying PATH's owner and mode onto TMP.
        rc_commit() {
          if [ -e "$2" ]; then
            chown --reference="$2" -- "$1" && chmod --reference="$2" -- "$1" || return 1
            rc_unlock "$2"
          fi
          mv -f -- "$1" "$2"
        }
        """;
}
