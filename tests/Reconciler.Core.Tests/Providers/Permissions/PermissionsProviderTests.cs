using System.Text;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Permissions;
using static Reconciler.Core.Tests.Support.ProviderHarness;

namespace Reconciler.Core.Tests.Providers.Permissions;

/// <summary>
/// Fact lines as PermissionsProvider's read script prints them: <c>C\tI\tCOUNT</c> (how many offenders),
/// <c>P\tI\tBASE64</c> (the first ones, NUL-separated), <c>N\tI</c> when the path is absent.
/// </summary>
public class PermissionsProviderTests
{
    private static readonly SourceLocation At = new("specs/all/file-protection.yaml", 9, 5);
    private readonly IResourceProvider _provider = new PermissionsProvider();

    private static PermissionsResource Etc(string remove = "g-w") => new("/etc", true, remove, [], At);

    private static string Paths(params string[] paths) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Concat(paths.Select(p => p + "\0"))));

    [Fact]
    public void Permissions_address_is_the_path_and_the_normalized_expression()
    {
        Assert.Equal("permissions[/etc g-w]", Etc().Address.ToString());
        Assert.Equal(PermissionsResource.KindName, _provider.Kind);
    }

    [Fact]
    public void Permissions_without_offenders_is_a_no_op()
    {
        var change = Diff(_provider, Etc(), "C\t0\t0", "P\t0\t");

        Assert.Equal(ChangeAction.NoOp, change.Action);
    }

    [Fact]
    public void Permissions_on_a_missing_path_is_blocked()
    {
        var change = Diff(_provider, Etc(), "N\t0");

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Equal("path does not exist", change.Note);
    }

    [Fact]
    public void Permissions_offenders_are_counted_and_named()
    {
        var change = Diff(_provider, Etc(), "C\t0\t3", $"P\t0\t{Paths("/etc/a", "/etc/b", "/etc/c")}");

        Assert.Equal(ChangeAction.Update, change.Action);
        var attribute = Assert.Single(change.Attributes);
        Assert.Equal(AttributeChange.Of(new("group-writable"), "3 file(s): /etc/a, /etc/b, /etc/c", "none"), attribute);
    }

    [Fact]
    public void Permissions_beyond_the_sample_are_counted_as_more()
    {
        var sample = Enumerable.Range(1, PermissionsProvider.SampleSize).Select(n => $"/etc/f{n}").ToArray();

        var change = Diff(_provider, Etc("g-w,o-w"), "C\t0\t25", $"P\t0\t{Paths(sample)}");

        var attribute = Assert.Single(change.Attributes);
        Assert.Equal("group-writable or world-writable", attribute.Name.Text);
        Assert.Equal(new PlanValue.Text($"25 file(s): {string.Join(", ", sample)}, and 15 more"), attribute.Before);
    }

    [Fact]
    public void Permissions_sample_keeps_a_name_with_a_newline_whole()
    {
        var observed = (PermissionsObserved)Observe(_provider, Etc(), "C\t0\t2", $"P\t0\t{Paths("/etc/a\nb", "/etc/c\td")}");

        Assert.Equal(["/etc/a\nb", "/etc/c\td"], observed.Sample);
        Assert.Equal(2, observed.Offenders);
    }

    [Theory]
    [InlineData("g-w", "g-w", 0b000_000_010_000)]
    [InlineData("og-wr", "go-rw", 0b000_000_110_110)]
    [InlineData("ugo-w", "a-w", 0b000_010_010_010)]
    [InlineData("a-s", "a-s", 0b110_000_000_000)]
    [InlineData("o-t,g-w", "o-t,g-w", 0b001_000_010_000)]
    public void Removed_bits_normalize_and_mask_as_chmod_reads_them(string expression, string normalized, int mask)
    {
        Assert.Null(RemovedBits.Problem(expression));
        Assert.Equal(normalized, RemovedBits.Normalize(expression));
        Assert.Equal(mask, RemovedBits.Mask(expression));
    }

    [Theory]
    [InlineData("g+w")]
    [InlineData("g=w")]
    [InlineData("-w")]
    [InlineData("g-w,")]
    [InlineData("u-t")]
    [InlineData("o-s")]
    public void Removed_bits_reject_what_is_not_a_clearing_mode(string expression)
    {
        Assert.NotNull(RemovedBits.Problem(expression));
    }

    [Fact]
    public void Permissions_cover_the_path_and_below_except_excluded_subtrees()
    {
        var r = new PermissionsResource("/etc", true, "g-w", ["/etc/ssl/private"], At);

        Assert.True(r.Covers("/etc"));
        Assert.True(r.Covers("/etc/ssl/certs/x"));
        Assert.False(r.Covers("/etc/ssl/private"));
        Assert.False(r.Covers("/etc/ssl/private/key"));
        Assert.False(r.Covers("/etcetera"));
        Assert.False((r with { Recursive = false }).Covers("/etc/passwd"));
    }
}
