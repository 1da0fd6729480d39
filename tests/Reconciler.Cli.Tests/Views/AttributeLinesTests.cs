using Reconciler.Cli.Views;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Tests.Views;

/// <summary>How one attribute change is put into lines — shared by the text and markdown plans.</summary>
public class AttributeLinesTests
{
    [Fact]
    public void Single_line_values_are_shown_old_arrow_new_with_unset_and_empty_spelled_out()
    {
        Assert.Equal(["mode: 0644 → 0600"], AttributeLines.Describe(AttributeChange.Of(new("mode"), "0644", "0600")));
        Assert.Equal(["owner: (unset) → root"], AttributeLines.Describe(AttributeChange.Of(new("owner"), null, "root")));
        Assert.Equal(["UMASK: \"\" → 027"], AttributeLines.Describe(AttributeChange.Of(new("UMASK"), "", "027")));
    }

    [Fact]
    public void Sensitive_values_are_never_described()
    {
        var lines = AttributeLines.Describe(AttributeChange.Of(new("content"), "a\nSECRET1\n", "b\nSECRET2\n").SecretIf(true));

        Assert.Equal(["content: (sensitive value changed)"], lines);
    }

    [Fact]
    public void Multi_line_values_are_shown_as_a_line_diff_with_two_lines_of_context()
    {
        var lines = AttributeLines.Describe(AttributeChange.Of(new("content"), "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nFIVE\n6\n7\n8\n9\n"));

        Assert.Equal("content:", lines[0]);
        Assert.Contains("   3", lines);
        Assert.Contains("  +FIVE", lines);
        Assert.Contains("  -5", lines);
        Assert.Contains("   7", lines);
        Assert.DoesNotContain("   8", lines);
        Assert.Equal("  @@ -3,5 +3,5 @@", lines[1]);
        Assert.Equal("   7", lines[^1]);
    }

    [Fact]
    public void Text_diff_lists_the_removed_line_before_the_added_one()
    {
        // TextDiff.Unified breaks LCS ties towards insertion (TextDiff.cs:30, `lcs[x, y + 1] >= lcs[x + 1, y]`),
        // so a replaced line prints as "+new" then "-old" — the reverse of every unified diff people read.
        var lines = TextDiff.Unified("a\nold\nb\n", "a\nnew\nb\n");

        Assert.Equal(["@@ -1,3 +1,3 @@", " a", "-old", "+new", " b"], lines);
    }

    [Fact]
    public void A_hunk_after_unchanged_lines_is_headed_with_the_line_numbers_where_it_starts()
    {
        var lines = TextDiff.Unified("1\n2\n3\n4\n5\n6\n", "1\n2\n3\n4\n5\nSIX\n");

        Assert.Equal(["@@ -4,3 +4,3 @@", " 4", " 5", "-6", "+SIX"], lines);
    }

    [Theory]
    // Added at the start, in the middle, at the end.
    [InlineData("b\nc\nd\ne\n", "A\nb\nc\nd\ne\n", "@@ -1,2 +1,3 @@|+A| b| c")]
    [InlineData("1\n2\n3\n4\n5\n6\n", "1\n2\n3\nNEW\n4\n5\n6\n", "@@ -2,4 +2,5 @@| 2| 3|+NEW| 4| 5")]
    [InlineData("1\n2\n3\n4\n", "1\n2\n3\n4\nZ\n", "@@ -3,2 +3,3 @@| 3| 4|+Z")]
    // Removed at the start, in the middle, at the end.
    [InlineData("A\nb\nc\nd\n", "b\nc\nd\n", "@@ -1,3 +1,2 @@|-A| b| c")]
    [InlineData("1\n2\n3\nOLD\n4\n5\n6\n", "1\n2\n3\n4\n5\n6\n", "@@ -2,5 +2,4 @@| 2| 3|-OLD| 4| 5")]
    [InlineData("1\n2\n3\n4\nZ\n", "1\n2\n3\n4\n", "@@ -3,3 +3,2 @@| 3| 4|-Z")]
    // Changed at the start, in the middle, at the end.
    [InlineData("a\n2\n3\n4\n", "A\n2\n3\n4\n", "@@ -1,3 +1,3 @@|-a|+A| 2| 3")]
    [InlineData("1\n2\n3\nm\n5\n6\n7\n", "1\n2\n3\nM\n5\n6\n7\n", "@@ -2,5 +2,5 @@| 2| 3|-m|+M| 5| 6")]
    [InlineData("1\n2\n3\nz\n", "1\n2\n3\nZ\n", "@@ -2,3 +2,3 @@| 2| 3|-z|+Z")]
    // A side with one line leaves its count out; a side with none names the line before it, as diff(1) does.
    [InlineData("only\n", "ONLY\n", "@@ -1 +1 @@|-only|+ONLY")]
    [InlineData("", "a\nb\n", "@@ -0,0 +1,2 @@|+a|+b")]
    [InlineData("a\nb\n", "", "@@ -1,2 +0,0 @@|-a|-b")]
    public void Hunk_headers_count_lines_as_diff_does(string before, string after, string expected)
    {
        Assert.Equal(expected.Split('|'), TextDiff.Unified(before, after));
    }

    [Fact]
    public void Changes_far_apart_are_separate_hunks_each_with_its_own_line_numbers()
    {
        var before = string.Concat(Enumerable.Range(1, 20).Select(i => $"{i}\n"));
        var after = before.Replace("\n3\n", "\nthree\n").Replace("\n15\n", "\n15\nnew\n").Replace("\n19\n", "\n");

        Assert.Equal(
            [
                "@@ -1,5 +1,5 @@", " 1", " 2", "-3", "+three", " 4", " 5",
                "@@ -14,7 +14,7 @@", " 14", " 15", "+new", " 16", " 17", " 18", "-19", " 20",
            ],
            TextDiff.Unified(before, after));
    }

    [Fact]
    public void Changes_close_together_share_one_hunk()
    {
        var lines = TextDiff.Unified("1\n2\n3\n4\n5\n6\n7\n8\n", "1\nTWO\n3\n4\n5\n6\nSEVEN\n8\n");

        Assert.Equal(["@@ -1,8 +1,8 @@", " 1", "-2", "+TWO", " 3", " 4", " 5", " 6", "-7", "+SEVEN", " 8"], lines);
    }

    [Fact]
    public void Single_line_value_ending_in_a_newline_is_described_without_a_raw_line_break()
    {
        // One-line files (an /etc/issue banner, a hostname) end in "\n". IsMultiLine ignores the trailing newline,
        // so Show() prints the value as is and the newline leaks into the view: the text plan gets a stray blank
        // line, the markdown plan a blank line inside its ```diff block, and "x" → "x\n" renders as "x → x".
        var lines = AttributeLines.Describe(AttributeChange.Of(new("content"), "", "Authorized use only\n"));

        Assert.All(lines, l => Assert.DoesNotContain('\n', l));
    }

    [Fact]
    public void Withheld_live_text_is_one_line_with_the_reason_then_the_declared_text()
    {
        var withheld = new PlanValue.Withheld("/etc/shadow is not world-readable (640 root:shadow)", "593 bytes, 20 line(s)");

        var lines = AttributeLines.Describe(new AttributeChange(new("content"), withheld, new PlanValue.Text("a\nb\n")));

        Assert.Equal(
            [
                "content: (not shown: /etc/shadow is not world-readable (640 root:shadow); 593 bytes, 20 line(s)) → 4 characters, 2 line(s):",
                "  @@ -0,0 +1,2 @@",
                "  +a",
                "  +b",
            ],
            lines);
    }

    [Fact]
    public void Text_that_reads_like_a_withheld_value_is_shown_as_text()
    {
        // The kind of a value is its type: a live line that happens to start "(not shown: " is still diffed as text.
        var lines = AttributeLines.Describe(AttributeChange.Of(new("content"), "(not shown: a; b)\n", "a\nb\n"));

        Assert.Equal("content:", lines[0]);
        Assert.Contains("  -(not shown: a; b)", lines);
        Assert.DoesNotContain(lines, l => l.Contains("characters", StringComparison.Ordinal));
    }

    [Fact]
    public void A_withheld_value_is_one_line_whatever_its_reason_says()
    {
        var lines = AttributeLines.Describe(new AttributeChange(new("live"), new PlanValue.Withheld("r", "value differs"), new PlanValue.Text("1")));

        Assert.Equal(["live: (not shown: r; value differs) → 1"], lines);
    }

    [Fact]
    public void A_deleted_part_reads_deleted_and_a_secret_only_changes()
    {
        Assert.Equal(["row #ab: present → deleted"],
            AttributeLines.Describe(new AttributeChange(new("row #ab"), new PlanValue.Text("present"), new PlanValue.Deleted())));
        Assert.Equal(["password: (sensitive value changed)"], AttributeLines.Describe(AttributeChange.Secret(new("password"), before: false, after: true)));
        Assert.Equal(["password: (sensitive value changed)"], AttributeLines.Describe(AttributeChange.Secret(new("password"), before: true, after: false)));
    }
}
