using System.Text;

namespace Reconciler.Core.Shell;

/// <summary>The one user other than root who controls a directory on a managed path (its uid and name, as the host reported).</summary>
public sealed record PathController(string Uid, string User);

/// <summary>
/// How every managed path is resolved on the host and who may write it — the class "every component of a managed path",
/// closed once for every kind that reads or writes a host path (rc-path.sh, the rule systemd-tmpfiles calls safe path
/// transitions):
/// <list type="bullet">
/// <item>The path is resolved from <c>/</c> one component at a time. A symbolic link is followed only where root alone
/// could have made it (merged /usr's <c>/bin</c>); a link in a directory any other user controls is refused, naming it;
/// a link as the last component is followed only with <c>follow: true</c>.</item>
/// <item>A directory on the way that users other than root may write (group other than root, others, or a POSIX ACL whose
/// mask grants write) is an unsafe
/// transition, unless it is sticky and the next component belongs to root or to the controlling user (no one else can
/// move it then). Directories of two different users other than root on one path are an unsafe transition too.</item>
/// <item>A path through a directory owned by one user other than root is that user's: it is read, and written, with that
/// user's rights only (setpriv, the script on the child's stdin: never in process arguments, which every local user can
/// read), so whatever the user redirects gains nothing; kinds that cannot do that refuse it.</item>
/// <item>A path that is, or passes through, <c>/proc</c>, <c>/sys</c> or <c>/dev</c> is refused after resolution.</item>
/// </list>
/// The read judges the path and reports it (<c>B</c> refused, <c>U</c> controlled by a user, <c>O</c> to be created in a
/// shared directory); apply judges it again right before the change, and the writers (<c>rc_open</c>, <c>rc_tmpfile</c>)
/// refuse any path another user controls, so a swap between plan and apply, or within apply, gains nothing.
/// </summary>
public static class PathSafety
{
    /// <summary>rc_chain, rc_chain_dir, rc_kernel_path, rc_safe and rc_as (rc-path.sh).</summary>
    public static string Functions => ShellFiles.Load("rc-path.sh");

    /// <summary>
    /// Defines shell functions in this shell and appends their text to <c>$rc_lib</c>, which <c>rc_as</c> sends along
    /// when it runs a fragment as another user (that shell starts empty).
    /// </summary>
    public static string Carry(string functions)
    {
        var quoted = Sh.Quote(functions);
        return $"rc_lib_part={quoted}\neval \"$rc_lib_part\"\nrc_lib=\"${{rc_lib:-}}\n$rc_lib_part\"";
    }

    /// <summary>
    /// A read fragment for the path the shell word <paramref name="pathWord"/> names: judged by rc_chain first, the
    /// verdict reported as records with index <paramref name="index"/>, then <paramref name="facts"/> run with <c>$p</c>
    /// set to the resolved path — as root, or as the controlling user when <paramref name="asControllingUser"/>; otherwise
    /// a path another user controls is refused. On refusal <c>$p</c> is empty, so what follows reads nothing.
    /// </summary>
    public static string Judged(int index, string pathWord, bool follow, bool asControllingUser, string facts) =>
        Judged(index, pathWord, follow, asControllingUser, facts, deferral: null);

    /// <summary>
    /// <see cref="Judged(int, string, bool, bool, string)"/>, where <paramref name="deferral"/> (a shell command, given the
    /// resolved path as its last argument) may take the path to read later with others: when it succeeds, nothing is read
    /// now.
    /// </summary>
    public static string Judged(int index, string pathWord, bool follow, bool asControllingUser, string facts, string? deferral)
    {
        var script = new StringBuilder();
        script.AppendLine($"p={pathWord}");
        script.AppendLine($"if ! rc_chain \"$p\" {(follow ? 1 : 0)}; then p=; printf 'B\\t{index}\\t%s\\n' \"$(printf '%s' \"$rc_chain_why\" | head -c 1024 | tr '\\n\\t' '  ')\"");
        if (!asControllingUser)
        {
            script.AppendLine($"elif [ -n \"$rc_chain_uid\" ]; then p=; printf 'B\\t{index}\\t%s\\n' \"$(printf '%s' \"unsafe path transition: $rc_chain_user controls a directory on the way; this kind writes only where root alone controls the path\" | head -c 1024 | tr '\\n\\t' '  ')\"");
        }

        script.AppendLine("else");
        script.AppendLine($"  [ -z \"$rc_chain_uid\" ] || printf 'U\\t{index}\\t%s\\t%s\\n' \"$rc_chain_uid\" \"$rc_chain_user\"");
        script.AppendLine($"  [ -z \"$rc_chain_shared\" ] || printf 'O\\t{index}\\t%s\\n' \"$(printf '%s' \"$rc_chain_shared\" | head -c 1024 | tr '\\n\\t' '  ')\"");
        var deferred = deferral is null ? "" : $"{deferral} \"$rc_chain_real\" || ";
        script.AppendLine($"  {deferred}rc_as \"$rc_chain_uid\" \"$rc_chain_real\" {Sh.Quote(facts)} {index}");
        script.AppendLine("  p=$rc_chain_real");
        script.AppendLine("fi");
        return script.ToString();
    }

    /// <summary>
    /// Leaves in <c>$p</c> the path <paramref name="pathWord"/> names as <see cref="Judged"/> (without a controlling user)
    /// leaves it, or empty when that refuses it: a kind reading more of a path than its file facts reads only through
    /// what they judged safe, and prints nothing of the judgement (the file facts report it).
    /// </summary>
    public static string Resolved(string pathWord, bool follow) =>
        $"p={pathWord}\nif rc_chain \"$p\" {(follow ? 1 : 0)} && [ -z \"$rc_chain_uid\" ]; then p=$rc_chain_real; else p=; fi\n";

    /// <summary>
    /// The first line of one change whose script writes files but changes no directory on the way to a path it judges (it
    /// may create missing directories, which the memo never held): each directory on the way to <paramref name="paths"/>
    /// is stat'ed once for the whole change, not once per judgement (a write judges its path four times). The memo lives
    /// in the change's own subshell, so the next change judges afresh, and a user's child (rc_as) starts without it. Only
    /// root or the controlling user could change a directory a judgement passed, and the latter's paths are written as
    /// that user: a directory cannot change under the change in a way that gains anyone anything.
    /// </summary>
    public static string OneChangeMemo(params string[] paths) => "rc_memo=1; " + MemoSeed(paths.Select(Sh.Quote));

    /// <summary>
    /// The line that stats the directories on the way to the paths the shell words <paramref name="pathWords"/> name at
    /// once, before a read (or one change) judges them one by one (rc_memo_seed, rc-path.sh).
    /// </summary>
    public static string MemoSeed(IEnumerable<string> pathWords) =>
        $"rc_memo_seed {string.Join(' ', pathWords.Distinct(StringComparer.Ordinal))}\n";

    /// <summary>
    /// The first lines of an apply fragment: judges the path again (it may have changed since the plan) and stops unless
    /// the same user controls it as when it was read (<paramref name="plannedUid"/>, null for root alone). Leaves the
    /// resolved path in <c>$p</c> and the controlling uid in <c>$rc_as_uid</c>.
    /// </summary>
    public static string Rejudge(string path, bool follow, string? plannedUid)
    {
        var planned = plannedUid ?? "";
        var who = plannedUid is null ? "root alone" : $"uid {plannedUid}";
        return $"""
            p={Sh.Quote(path)}
            rc_chain "$p" {(follow ? 1 : 0)} || {"{"} echo "$rc_chain_why; nothing changed" >&2; exit 1; {"}"}
            [ "$rc_chain_uid" = {Sh.Quote(planned)} ] || {"{"} echo "$p: controlled by ${"{"}rc_chain_user:-root alone{"}"} now, by {who} when it was read; nothing changed" >&2; exit 1; {"}"}
            p=$rc_chain_real rc_as_uid=$rc_chain_uid

            """;
    }
}
