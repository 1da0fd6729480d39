using System.Security.Cryptography;
using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Tests.Support;
using static Reconciler.Core.Tests.Support.ProviderHarness;

namespace Reconciler.Core.Tests.Providers.Files;

/// <summary>
/// Fact lines are written exactly as FileProvider's read script prints them (tab-separated, index second):
/// <c>S\tI\t%F\t%U\t%u\t%G\t%g\t%a</c> from stat, <c>A\tI\tflags</c> from lsattr (empty when unsupported),
/// <c>H\tI\tsha256</c> and <c>C\tI\tbase64</c> when content is managed, <c>N\tI</c> when the path is absent.
/// </summary>
public class FileProviderTests
{
    private readonly IResourceProvider _provider = new FileProvider();
    private const string Path = "/etc/motd";

    private static string Sha(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)));

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private static string[] RegularFile(string content, string mode = "644", string owner = "root\t0", string group = "root\t0", string attrs = "--------------e-------") =>
    [
        $"S\t0\tregular file\t{owner}\t{group}\t{mode}",
        $"A\t0\t{attrs}",
        $"H\t0\t{Sha(content)}",
        $"T\t0\t{B64(content)}",
    ];

    [Fact]
    public void File_matching_content_owner_group_and_mode_is_a_no_op()
    {
        var change = Diff(_provider, Res.File(Path, "hello\n", owner: "root", group: "root", mode: "0644"), RegularFile("hello\n"));

        Assert.Equal(ChangeAction.NoOp, change.Action);
    }

    [Theory]
    [InlineData("644")]
    [InlineData("0644")]
    public void File_mode_written_with_or_without_leading_zero_matches_stat_output(string declared)
    {
        var change = Diff(_provider, Res.File(Path, "x", mode: declared), RegularFile("x", mode: "644"));

        Assert.Equal(ChangeAction.NoOp, change.Action);
    }

    [Fact]
    public void File_mode_difference_is_shown_as_four_octal_digits()
    {
        var change = Diff(_provider, Res.File(Path, "x", mode: "600"), RegularFile("x", mode: "644"));

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal([AttributeChange.Of(new("mode"), "0644", "0600")], change.Attributes);
    }

    [Fact]
    public void File_sticky_directory_mode_is_compared_with_its_special_bit()
    {
        var tmp = Res.File("/srv/tmp", type: FileType.Directory, mode: "1777");

        Assert.Equal(ChangeAction.NoOp, Diff(_provider, tmp, "S\t0\tdirectory\troot\t0\troot\t0\t1777", "A\t0\t--------------e-------").Action);
        Assert.Equal(ChangeAction.Update, Diff(_provider, tmp, "S\t0\tdirectory\troot\t0\troot\t0\t777", "A\t0\t--------------e-------").Action);
    }

    [Theory]
    [InlineData("root")]
    [InlineData("0")]
    public void File_owner_declared_by_name_or_numeric_id_matches_the_same_account(string owner)
    {
        var change = Diff(_provider, Res.File(Path, "x", owner: owner, group: owner), RegularFile("x"));

        Assert.Equal(ChangeAction.NoOp, change.Action);
    }

    [Fact]
    public void File_owner_declared_by_id_of_another_account_plans_an_owner_update()
    {
        var change = Diff(_provider, Res.File(Path, "x", owner: "1000"), RegularFile("x"));

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal([AttributeChange.Of(new("owner"), "root", "1000")], change.Attributes);
    }

    [Fact]
    public void File_owner_declared_by_name_is_compared_by_name_not_by_id()
    {
        // Names are compared with the name stat reports; a uid with no passwd entry shows as UNKNOWN.
        var change = Diff(_provider, Res.File(Path, "x", owner: "daemon"), RegularFile("x", owner: "UNKNOWN\t1"));

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal([AttributeChange.Of(new("owner"), "UNKNOWN", "daemon")], change.Attributes);
    }

    [Fact]
    public void File_extent_flag_e_is_ignored_when_attributes_are_managed()
    {
        var change = Diff(_provider, Res.File(Path, "x", attributes: ""), RegularFile("x", attrs: "--------------e-------"));

        Assert.Equal(ChangeAction.NoOp, change.Action);
    }

    [Fact]
    public void File_missing_managed_immutable_flag_plans_an_attributes_update()
    {
        var change = Diff(_provider, Res.File(Path, "x", attributes: "i"), RegularFile("x", attrs: "--------------e-------"));

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal([AttributeChange.Of(new("attributes"), "(none)", "+i")], change.Attributes);
    }

    [Fact]
    public void File_extra_managed_flag_is_cleared_when_attributes_are_managed()
    {
        var change = Diff(_provider, Res.File(Path, "x", attributes: "i"), RegularFile("x", attrs: "-----a--i-----e-------"));

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal([AttributeChange.Of(new("attributes"), "+ai", "+i")], change.Attributes);
    }

    [Fact]
    public void File_attributes_are_left_alone_when_not_managed()
    {
        var change = Diff(_provider, Res.File(Path, "x"), RegularFile("x", attrs: "----i---------e-------"));

        Assert.Equal(ChangeAction.NoOp, change.Action);
    }

    [Fact]
    public void File_with_managed_attributes_on_a_filesystem_without_chattr_is_blocked()
    {
        var change = Diff(_provider, Res.File(Path, "x", attributes: "i"), RegularFile("x", attrs: ""));

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Contains("chattr", change.Note);
    }

    [Fact]
    public void File_content_change_shows_the_old_text()
    {
        var change = Diff(_provider, Res.File(Path, "new line\n"), RegularFile("old line\n"));

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal([AttributeChange.Of(new("content"), "old line\n", "new line\n")], change.Attributes);
    }

    [Fact]
    public void File_content_the_host_withholds_is_described_by_size_lines_and_the_reason()
    {
        var lines = RegularFile("big").Where(l => !l.StartsWith("T\t", StringComparison.Ordinal))
            .Append("Z\t0\t70000\t12").Append("W\t0\tlarger than 64 KiB").ToArray();

        var change = Diff(_provider, Res.File(Path, "small"), lines);

        Assert.Equal([new AttributeChange(new("content"), new PlanValue.Withheld("larger than 64 KiB", "70000 bytes, 12 line(s)"), new PlanValue.Text("small"))], change.Attributes);
    }

    [Fact]
    public void File_binary_content_is_compared_by_digest_and_not_shown()
    {
        var binary = Convert.ToBase64String([0xff, 0xfe, 0x00, 0x80]);
        var change = Diff(_provider, Res.File(Path, "text"),
            "S\t0\tregular file\troot\t0\troot\t0\t644", "A\t0\t", $"T\t0\t{binary}");

        Assert.Equal([new AttributeChange(new("content"), new PlanValue.Withheld("binary content", "4 bytes, 0 line(s)"), new PlanValue.Text("text"))], change.Attributes);
    }

    [Fact]
    public void File_sensitive_content_change_is_flagged_sensitive()
    {
        var change = Diff(_provider, Res.File("/etc/app/token", "s3cr3t-new\n", sensitive: true), RegularFile("s3cr3t-old\n"));

        var content = Assert.Single(change.Attributes);
        Assert.Equal("content", content.Name.Text);
        Assert.True(content.Sensitive);
    }

    [Fact]
    public void File_sensitive_content_created_is_flagged_sensitive()
    {
        var change = Diff(_provider, Res.File("/etc/app/token", "s3cr3t\n", sensitive: true), "N\t0");

        Assert.Equal(ChangeAction.Create, change.Action);
        Assert.True(change.Attributes.Single(a => a.Name.Text == "content").Sensitive);
    }

    [Fact]
    public void File_missing_with_when_missing_skip_is_skipped_with_a_note()
    {
        var change = Diff(_provider, Res.File("/etc/securetty", whenMissing: WhenMissing.Skip, mode: "0600"), "N\t0");

        Assert.Equal(ChangeAction.Skip, change.Action);
        Assert.Contains("when_missing: skip", change.Note);
    }

    [Fact]
    public void File_missing_with_when_missing_fail_is_blocked()
    {
        var change = Diff(_provider, Res.File("/etc/securetty", whenMissing: WhenMissing.Fail, mode: "0600"), "N\t0");

        Assert.Equal(ChangeAction.Blocked, change.Action);
    }

    [Fact]
    public void File_missing_with_when_missing_create_plans_a_create_listing_what_it_sets()
    {
        var change = Diff(_provider, Res.File("/etc/issue", "Authorized use only\n", owner: "root", mode: "644"), "N\t0");

        Assert.Equal(ChangeAction.Create, change.Action);
        Assert.Equal(
            [
                AttributeChange.Of(new("type"), null, "file"),
                AttributeChange.Of(new("content"), null, "Authorized use only\n"),
                AttributeChange.Of(new("owner"), null, "root"),
                AttributeChange.Of(new("mode"), null, "0644"),
            ],
            change.Attributes);
    }

    [Fact]
    public void File_declared_but_found_as_a_directory_is_blocked()
    {
        var change = Diff(_provider, Res.File(Path, "x"), "S\t0\tdirectory\troot\t0\troot\t0\t755", "A\t0\t--------------e-------");

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Contains("directory", change.Note);
    }

    [Fact]
    public void Directory_declared_but_found_as_a_file_is_blocked()
    {
        var change = Diff(_provider, Res.File("/srv/data", type: FileType.Directory), "S\t0\tregular empty file\troot\t0\troot\t0\t644", "A\t0\t");

        Assert.Equal(ChangeAction.Blocked, change.Action);
    }

    [Fact]
    public void File_ensure_absent_that_exists_plans_a_delete()
    {
        var change = Diff(_provider, Res.File("/etc/cron.deny", ensure: Ensure.Absent), "S\t0\tregular file\troot\t0\troot\t0\t600", "A\t0\t");

        Assert.Equal(ChangeAction.Delete, change.Action);
        Assert.Equal([AttributeChange.Of(new("type"), "file", null)], change.Attributes);
    }

    [Fact]
    public void File_ensure_absent_that_is_already_gone_is_a_no_op()
    {
        Assert.Equal(ChangeAction.NoOp, Diff(_provider, Res.File("/etc/cron.deny", ensure: Ensure.Absent), "N\t0").Action);
    }

    [Fact]
    public void File_empty_content_matches_an_empty_file()
    {
        var change = Diff(_provider, Res.File(Path, ""),
            "S\t0\tregular empty file\troot\t0\troot\t0\t644", "A\t0\t", $"H\t0\t{Sha("")}", "T\t0\t");

        Assert.Equal(ChangeAction.NoOp, change.Action);
    }
}
