using Reconciler.Core.Engine;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Tests.Support;
using static Reconciler.Core.Tests.Support.ProviderHarness;

namespace Reconciler.Core.Tests.Providers.Files;

/// <summary>
/// The file kind's decisions on the host's path verdict (PathSafety): <c>B</c> refused, <c>U</c> controlled by one user
/// other than root (written as that user, so the file must be that user's), <c>O</c> to be created in a sticky directory
/// others can write.
/// </summary>
public class FilePathSafetyTests
{
    private readonly IResourceProvider _provider = new FileProvider();
    private const string Keys = "/home/alice/.ssh/authorized_keys";

    private static readonly string[] AliceFile =
    [
        "U\t0\t1000\talice",
        "S\t0\tregular file\talice\t1000\talice\t1000\t600",
        "A\t0\t--------------e-------",
        "H\t0\t0000000000000000000000000000000000000000000000000000000000000000",
    ];

    [Fact]
    public void A_refused_path_is_blocked_with_the_hosts_reason_whatever_is_declared()
    {
        const string why = "unsafe path transition: /home/alice/.ssh is a symbolic link in a directory alice controls; not followed";

        var present = Diff(_provider, Res.File(Keys, "k\n", owner: "alice"), $"B\t0\t{why}");
        var absent = Diff(_provider, Res.File(Keys, ensure: Ensure.Absent), $"B\t0\t{why}");

        Assert.Equal(ChangeAction.Blocked, present.Action);
        Assert.Contains(why, present.Note);
        Assert.Equal(ChangeAction.Blocked, absent.Action);
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("1000")]
    public void The_controlling_users_own_file_is_managed(string owner)
    {
        var change = Diff(_provider, Res.File(Keys, "k\n", owner: owner, mode: "0600"), AliceFile);

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal(["content"], change.Attributes.Select(a => a.Name.Text));
    }

    [Fact]
    public void A_declared_owner_other_than_the_controlling_user_is_an_unsafe_transition()
    {
        var change = Diff(_provider, Res.File(Keys, "k\n", owner: "root", mode: "0600"), AliceFile);

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Contains("the declared owner root differs from alice", change.Note);
    }

    [Fact]
    public void An_existing_file_of_someone_else_in_a_users_directory_is_an_unsafe_transition()
    {
        var change = Diff(_provider, Res.File(Keys, "k\n"),
            "U\t0\t1000\talice", "S\t0\tregular file\troot\t0\troot\t0\t600", "A\t0\t-", "H\t0\tab");

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Contains("it belongs to root, not alice", change.Note);
    }

    [Fact]
    public void Chattr_attributes_under_a_users_directory_are_blocked()
    {
        var change = Diff(_provider, Res.File(Keys, "k\n", owner: "alice", attributes: "i"), AliceFile);

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Contains("chattr attributes need root", change.Note);
    }

    [Fact]
    public void A_file_to_be_created_in_a_shared_sticky_directory_is_blocked_and_an_optional_one_still_skipped()
    {
        var create = Diff(_provider, Res.File("/tmp/app.conf", "x\n"), "O\t0\t/tmp", "N\t0");
        var skip = Diff(_provider, Res.File("/tmp/app.conf", mode: "0600", whenMissing: WhenMissing.Skip), "O\t0\t/tmp", "N\t0");

        Assert.Equal(ChangeAction.Blocked, create.Action);
        Assert.Contains("it would be created in /tmp, which other users can write", create.Note);
        Assert.Equal(ChangeAction.Skip, skip.Action);
    }

    [Fact]
    public void The_apply_judges_the_path_again_and_runs_the_change_as_the_planned_user()
    {
        var resource = Res.File(Keys, "k\n", owner: "alice", mode: "0600");
        var observed = Observe(_provider, resource, AliceFile);
        var change = Diff(_provider, resource, AliceFile);

        var script = ApplyScript(_provider, resource, observed, change);

        Assert.Contains("rc_chain \"$p\" 0 ||", script);
        Assert.Contains("[ \"$rc_chain_uid\" = '1000' ] ||", script);
        Assert.Contains("rc_as \"$rc_as_uid\" \"$p\" '", script);
    }

    public static TheoryData<string, string[]> ChangesOfEveryShape() => new()
    {
        { "a new file", ["N\t0"] },
        { "a file's content, owner, mode and flags", ["S\t0\tregular file\tbin\t2\tbin\t2\t600", "A\t0\t--------------e-------", $"H\t0\t{new string('0', 64)}", "Z\t0\t2\t1"] },
        { "a new directory", ["N\t0"] },
        { "a directory's owner, mode and flags", ["S\t0\tdirectory\tbin\t2\tbin\t2\t700", "A\t0\t--------------e-------"] },
    };

    [Theory]
    [MemberData(nameof(ChangesOfEveryShape))]
    public void Every_judgement_of_a_change_comes_before_it_changes_a_directory_s_owner_mode_or_flags(string shape, string[] facts)
    {
        // A change keeps one memo of the directories it judged (PathSafety.OneChangeMemo): that holds only while nothing the
        // change does to a directory comes before a later judgement of the same change.
        var directory = shape.Contains("directory", StringComparison.Ordinal);
        var resource = Res.File("/srv/app/data", directory ? null : "x\n", type: directory ? FileType.Directory : FileType.File,
            owner: "root", group: "root", mode: "0755", attributes: "+i");
        var observed = Observe(_provider, resource, facts);
        var change = Diff(_provider, resource, facts);

        var lines = _provider.ApplyScript(resource, observed, change).Split('\n');
        var firstChange = Array.FindIndex(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s*(chmod|chown|chgrp|chattr) "));
        var lastJudgement = Array.FindLastIndex(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"\b(rc_chain|rc_safe|rc_open|rc_tmpfile|rc_write) "));

        Assert.True(firstChange > 0, shape);
        Assert.True(lastJudgement < firstChange, $"{shape}: a judgement at line {lastJudgement} after a change at line {firstChange}\n{string.Join('\n', lines)}");
    }
}
