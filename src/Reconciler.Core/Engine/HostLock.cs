using Reconciler.Core.Shell;

namespace Reconciler.Core.Engine;

/// <summary>
/// The apply lock, kept on the host itself so every controller (a laptop, CI, watch mode) sees it: <c>mkdir</c> of
/// <c>ROOT/lock</c> is atomic, and an <c>owner</c> file in it names the holder and since when. A lock older than
/// <see cref="Ttl"/> was left by a run that crashed and is taken over — under a second <c>mkdir</c> mutex, so two
/// runs finding the same stale lock cannot both take it. Only the holder's own release removes the lock.
/// </summary>
internal sealed record HostLock(string Root, string Holder, TimeSpan Ttl)
{
    /// <summary>Prints one line: <c>acquired</c>, <c>taken-over\tHOLDER\tSINCE</c> or <c>held\tHOLDER\tSINCE</c>.</summary>
    public string AcquireScript() => $$"""
        rc_root={{Sh.Quote(Root)}}; rc_lock="$rc_root/lock"; rc_holder={{Sh.Quote(Holder)}}
        rc_now=$(date -u +%s)
        rc_take() {
          mkdir "$rc_lock" 2>/dev/null || return 1
          printf 'holder=%s\nsince=%s\nepoch=%s\n' "$rc_holder" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$rc_now" > "$rc_lock/owner"
        }
        rc_field() { sed -n "s/^$1=//p" "$rc_lock/owner" 2>/dev/null | head -n 1 | tr '\t' ' '; }
        mkdir -p "$rc_root" || exit 1
        if rc_take; then echo acquired; exit 0; fi
        rc_was_holder=$(rc_field holder); rc_was_since=$(rc_field since); rc_epoch=$(rc_field epoch)
        # A lock written by hand may have only "since"; one left mid-creation has no owner file: its age is the directory's.
        [ -n "$rc_epoch" ] || [ -z "$rc_was_since" ] || rc_epoch=$(date -u -d "$rc_was_since" +%s 2>/dev/null) || rc_epoch=
        [ -n "$rc_epoch" ] || rc_epoch=$(stat -c %Y "$rc_lock" 2>/dev/null)
        case "$rc_epoch" in ''|*[!0-9]*) rc_epoch=$rc_now ;; esac
        [ -n "$rc_was_since" ] || rc_was_since=$(date -u -d "@$rc_epoch" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null)
        if [ $((rc_now - rc_epoch)) -ge {{(long)Ttl.TotalSeconds}} ] && mkdir "$rc_lock.takeover" 2>/dev/null; then
          # Still the same stale lock? Another run may have taken it over between our read and our mutex.
          if [ "$(rc_field holder)" = "$rc_was_holder" ] && [ "$(rc_field since)" = "$rc_was_since" ]; then rm -rf "$rc_lock"; fi
          if rc_take; then
            rmdir "$rc_lock.takeover"
            printf 'taken-over\t%s\t%s\n' "$rc_was_holder" "$rc_was_since"
            exit 0
          fi
          rmdir "$rc_lock.takeover"
          rc_was_holder=$(rc_field holder); rc_was_since=$(rc_field since)
        fi
        printf 'held\t%s\t%s\n' "$rc_was_holder" "$rc_was_since"
        """;

    /// <summary>Removes the lock if this run still holds it; a lock taken over by another run is left alone.</summary>
    public string ReleaseScript() => $$"""
        rc_lock={{Sh.Quote(Root)}}/lock
        if [ "$(sed -n 's/^holder=//p' "$rc_lock/owner" 2>/dev/null | head -n 1)" = {{Sh.Quote(Holder)}} ]; then rm -rf "$rc_lock"; fi
        """;

    /// <summary>
    /// For a controller that never came back after its apply: if this run still holds the lock, runs
    /// <paramref name="whileHeld"/> (marking the host's record) and releases it. A no-op once the controller released it.
    /// </summary>
    public string HandoverScript(string whileHeld) => $$"""
        rc_lock={{Sh.Quote(Root)}}/lock
        if [ "$(sed -n 's/^holder=//p' "$rc_lock/owner" 2>/dev/null | head -n 1)" = {{Sh.Quote(Holder)}} ]; then
        ( {{whileHeld.TrimEnd('\n')}}
        ) >/dev/null 2>&1
        rm -rf "$rc_lock"
        fi
        """;

    /// <summary>
    /// <c>rc_read_owner DIR</c>: sets <c>rc_owner</c> from DIR/owner only as any local user could read it (What a plan may
    /// show): a regular file, not a link, world-readable under world-searchable directories; read bounded under a timeout,
    /// so a FIFO or /dev/zero cannot hang the read. Fails (status 1) when an owner file is there but may not be read so;
    /// a missing one reads as empty (a lock left mid-creation, or made by hand). Inspect and clear share it, so clear
    /// compares exactly what inspect showed.
    /// </summary>
    private const string ReadShownOwner = """
        rc_read_owner() {
          rc_owner=
          [ -e "$1/owner" ] || [ -L "$1/owner" ] || return 0
          [ -f "$1/owner" ] && [ ! -L "$1/owner" ] && [ -z "$(find "$rc_root" "$1" -maxdepth 0 ! -perm -o+x 2>/dev/null)" ] \
            && [ -n "$(find "$1/owner" -maxdepth 0 -type f -perm -o+r 2>/dev/null)" ] || return 1
          rc_owner=$(timeout 10 head -c 4096 "$1/owner" 2>/dev/null | LC_ALL=C tr -d '\000-\010\011\013-\037\177')
        }
        """;

    private const string OwnerField = """rc_owner_field() { printf '%s\n' "$rc_owner" | sed -n "s/^$1=//p" | head -n 1 | cut -c1-300; }""";

    /// <summary>
    /// For a read that takes no lock (plan, drift): one line <c>held\tHOLDER\tSINCE\tAGE</c> when a lock is held (AGE in
    /// seconds by the host's clock, empty when unknown), nothing otherwise. Reads only; never touches the lock.
    /// </summary>
    public static string InspectScript(string root) => $$"""
        rc_root={{Sh.Quote(root)}}; rc_lock="$rc_root/lock"
        {{OwnerField}}
        {{ReadShownOwner}}
        if [ -d "$rc_lock" ] && [ ! -L "$rc_lock" ]; then
          rc_read_owner "$rc_lock" || rc_owner=
          rc_epoch=$(rc_owner_field epoch); [ -n "$rc_epoch" ] || rc_epoch=$(stat -c %Y "$rc_lock" 2>/dev/null)
          case "$rc_epoch" in ''|*[!0-9]*) rc_age= ;; *) rc_age=$(( $(date -u +%s) - rc_epoch )) ;; esac
          printf 'held\t%s\t%s\t%s\n' "$(rc_owner_field holder)" "$(rc_owner_field since)" "$rc_age"
        fi
        """;

    /// <summary>What <see cref="InspectScript"/> printed: the held lock, or null when there is none (or the answer is garbled).</summary>
    public static Plans.HeldLock? ParseHeld(IEnumerable<string> lines)
    {
        var fields = (lines.FirstOrDefault(l => l.StartsWith("held\t", StringComparison.Ordinal)) ?? "").Split('\t');
        if (fields.Length != 4) return null;
        // The host's script cuts each field; a host that does not is still not shown more than that.
        string Cut(string f) => f.Length > 300 ? f[..300] : f;
        fields[1] = Cut(fields[1]);
        fields[2] = Cut(fields[2]);
        var age = long.TryParse(fields[3], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var a) ? a : (long?)null;
        return new Plans.HeldLock(fields[1].Length == 0 ? "an unknown holder" : fields[1], fields[2].Length == 0 ? null : fields[2], age)
        {
            HolderAsRead = fields[1],
        };
    }

    /// <summary>
    /// Removes the lock only if <paramref name="holder"/> (as <see cref="InspectScript"/> read it: empty when it showed no
    /// holder) still holds it. The lock is first renamed aside (atomic), then the renamed one is compared: comparing in
    /// place and then removing would remove a lock a new run took between the two (its holder released, the new run's
    /// mkdir succeeded). One that is not the lock meant is put back. Under the takeover mutex, so a run taking it over at
    /// the same moment is not undone. Prints one line: <c>removed</c>, <c>none</c> (released meanwhile), <c>changed</c>
    /// (another holder now; left alone), <c>unreadable</c> (its owner file may not be read; left alone), or either of the
    /// last two followed by <c>\tPATH</c> when it could not be put back because yet another run took the lock meanwhile.
    /// </summary>
    public static string ClearScript(string root, string holder) => $$"""
        rc_root={{Sh.Quote(root)}}; rc_lock="$rc_root/lock"
        {{OwnerField}}
        {{ReadShownOwner}}
        [ -d "$rc_lock" ] || { echo none; exit 0; }
        mkdir "$rc_lock.takeover" 2>/dev/null || { echo changed; exit 0; }
        rc_aside=$(mktemp -u "$rc_lock.clearing.XXXXXXXX")
        if ! mv -T "$rc_lock" "$rc_aside" 2>/dev/null; then rmdir "$rc_lock.takeover"; echo none; exit 0; fi
        if ! rc_read_owner "$rc_aside"; then rc_verdict=unreadable
        elif [ "$(rc_owner_field holder)" = {{Sh.Quote(holder)}} ]; then
          rm -rf "$rc_aside"; rmdir "$rc_lock.takeover"; echo removed; exit 0
        else rc_verdict=changed
        fi
        # Not the lock meant: back in its place, unless a new run made one there meanwhile (then it is not overwritten).
        mv -T -n "$rc_aside" "$rc_lock" 2>/dev/null
        if [ -e "$rc_aside" ]; then printf '%s\t%s\n' "$rc_verdict" "$rc_aside"; else echo "$rc_verdict"; fi
        rmdir "$rc_lock.takeover"
        """;

    /// <summary>The acquire script's answer; a missing or garbled answer counts as not acquired.</summary>
    public static LockAnswer Parse(IEnumerable<string> lines)
    {
        var line = lines.Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.Length > 0) ?? "";
        var fields = line.Split('\t');
        string? Field(int i) => fields.Length > i && fields[i].Length > 0 ? fields[i] : null;
        return fields[0] switch
        {
            "acquired" => new LockAnswer(LockStatus.Acquired, null, null),
            "taken-over" => new LockAnswer(LockStatus.TakenOver, Field(1), Field(2)),
            "held" => new LockAnswer(LockStatus.Held, Field(1), Field(2)),
            _ => new LockAnswer(LockStatus.Held, null, null, line.Length == 0 ? "no answer from the lock script" : line),
        };
    }
}
