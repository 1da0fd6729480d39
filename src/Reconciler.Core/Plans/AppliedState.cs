namespace Reconciler.Core.Plans;

/// <summary>
/// What a host's state file says: the commit last applied to it (empty when that apply came from a plain specs
/// directory), when, and by which controller. <see cref="CommitsBehind"/> and <see cref="CommitKnown"/> are filled in
/// by whoever can see the repository; the engine itself knows nothing of git.
/// </summary>
public sealed record AppliedState(string? Commit, string? At, string? Controller)
{
    /// <summary>Commits in the planned head that the host's commit lacks; null when not worked out.</summary>
    public int? CommitsBehind { get; init; }

    /// <summary>False when the repository has no such commit; null when not checked.</summary>
    public bool? CommitKnown { get; init; }

    public string ShortCommit => string.IsNullOrEmpty(Commit) ? "" : Commit[..Math.Min(7, Commit.Length)];

    /// <summary>One line for people: "web1 is at commit abc1234, 3 commits behind".</summary>
    public string Describe(string host)
    {
        if (string.IsNullOrEmpty(Commit))
        {
            return $"{host} was last applied from a specs directory, not a commit{Since}";
        }

        var where = CommitKnown == false ? "unknown commit"
            : CommitsBehind is 0 ? "up to date"
            : CommitsBehind is { } n ? $"{n} commit{(n == 1 ? "" : "s")} behind"
            : null;
        return $"{host} is at commit {ShortCommit}{(where is null ? "" : ", " + where)}{Since}";
    }

    private string Since => string.IsNullOrEmpty(At) ? "" : $" (applied {At}{(string.IsNullOrEmpty(Controller) ? "" : " by " + Controller)})";
}
