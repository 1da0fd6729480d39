using System.Text;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Engine;

/// <summary>
/// Commit-confirm on the host. Before guarded changes run, the host saves the state they touch and starts a detached
/// timer that restores it after <see cref="Timeout"/> unless a <em>new</em> SSH connection removes the pending marker
/// first. Whoever removes the marker (confirm or timer) wins; removal is atomic, so exactly one of them acts.
/// </summary>
internal sealed record Guard(string Id, TimeSpan Timeout, string Root)
{
    public string Directory => $"{Root}/{Id}";

    public static Guard Create(TimeSpan timeout, string root, DateTimeOffset now) =>
        new(now.UtcDateTime.ToString("yyyyMMddHHmmss") + "-" + Guid.NewGuid().ToString("N")[..8], timeout, root);

    /// <summary>Saves state and arms the timer; exits non-zero (and nothing is changed) if either fails.</summary>
    public string ArmScript(IEnumerable<GuardedState> states)
    {
        var restore = new StringBuilder("LC_ALL=C; export LC_ALL\n");
        restore.AppendLine($"RC_SNAPSHOT={Sh.Quote(Directory)}");
        var arm = new StringBuilder();
        arm.AppendLine($"RC_SNAPSHOT={Sh.Quote(Directory)}");
        arm.AppendLine("mkdir -p \"$RC_SNAPSHOT\" && chmod 0700 \"$(dirname \"$RC_SNAPSHOT\")\" \"$RC_SNAPSHOT\"");
        foreach (var state in states)
        {
            arm.AppendLine("(").AppendLine(state.SnapshotScript).AppendLine(")");
            restore.AppendLine("(").AppendLine(state.RestoreScript).AppendLine(")");
        }

        arm.AppendLine($"printf '%s' {Sh.Quote(Sh.Base64(restore.ToString()))} | base64 -d > \"$RC_SNAPSHOT/restore.sh\"");
        arm.AppendLine(": > \"$RC_SNAPSHOT/pending\"");
        // The timer must outlive this SSH session: its own session (setsid where util-linux has it, nohup
        // otherwise), no inherited descriptors, and nothing that depends on the connection.
        var timer = $"sleep {(int)Math.Ceiling(Timeout.TotalSeconds)}; " +
                    "if rm \"$0/pending\" 2>/dev/null; then sh \"$0/restore.sh\" > \"$0/rollback.log\" 2>&1; echo $? > \"$0/rolled-back\"; fi";
        arm.AppendLine($"if command -v setsid >/dev/null 2>&1; then rc_detach=setsid; else rc_detach=nohup; fi");
        arm.AppendLine($"$rc_detach sh -c {Sh.Quote(timer)} \"$RC_SNAPSHOT\" </dev/null >/dev/null 2>&1 &");
        arm.AppendLine("echo $! > \"$RC_SNAPSHOT/timer.pid\"");
        return arm.ToString();
    }

    /// <summary>Run over a new connection: prints <c>confirmed</c>, or <c>rolled-back RC</c> when the timer won.</summary>
    public string ConfirmScript() => $$"""
        d={{Sh.Quote(Directory)}}
        if rm "$d/pending" 2>/dev/null; then
          kill "$(cat "$d/timer.pid" 2>/dev/null)" 2>/dev/null
          echo confirmed
        elif [ -f "$d/rolled-back" ]; then
          echo "rolled-back $(cat "$d/rolled-back")"
          tail -n 5 "$d/rollback.log" 2>/dev/null
        else
          echo unknown
        fi
        """;
}
