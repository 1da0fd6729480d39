using Reconciler.Core.Model;

namespace Reconciler.Core.Tests.Selection;

/// <summary>Issue 21: <c>--hosts</c> takes host names, group names and globs; a term selecting nothing is an error.</summary>
public sealed class HostSelectionTests
{
    private static HostSpec Host(string name, params string[] groups) =>
        new(name, "192.0.2.1", 22, "root", "~/.ssh/id", "ssh-ed25519 AAAA", groups, new Dictionary<string, object?>());

    private static readonly IReadOnlyList<HostSpec> Fleet =
        [Host("mail1", "hardened", "mail"), Host("web1", "hardened", "dsr-pool"), Host("web2", "hardened", "dsr-pool"), Host("ldap1", "ldap")];

    private static string[] Selected(string text) =>
        Fleet.Where(HostSelection.Parse(text)!.Selects).Select(h => h.Name).ToArray();

    [Theory]
    [InlineData("web1", new[] { "web1" })]
    [InlineData("dsr-pool", new[] { "web1", "web2" })]
    [InlineData("web*", new[] { "web1", "web2" })]
    [InlineData("dsr-*", new[] { "web1", "web2" })]
    [InlineData("mail,ldap1", new[] { "mail1", "ldap1" })]
    [InlineData("?eb2", new[] { "web2" })]
    [InlineData("*", new[] { "mail1", "web1", "web2", "ldap1" })]
    public void Names_groups_and_globs_select_hosts(string text, string[] expected)
    {
        Assert.Equal(expected, Selected(text));
        Assert.Null(HostSelection.Parse(text)!.Problem(Fleet));
    }

    [Fact]
    public void An_empty_selection_is_every_host() => Assert.Null(HostSelection.Parse(" , "));

    [Fact]
    public void A_glob_matching_nothing_is_an_error_listing_the_known_names()
    {
        var problem = HostSelection.Parse("nomatch*")!.Problem(Fleet);

        Assert.Equal("'nomatch*' selects no host or group (known hosts: ldap1, mail1, web1, web2; groups: dsr-pool, hardened, ldap, mail)", problem);
    }

    [Fact]
    public void A_typo_beside_a_good_name_is_still_an_error_and_names_the_closest()
    {
        var problem = HostSelection.Parse("web1,wbe2")!.Problem(Fleet);

        Assert.StartsWith("'wbe2' selects no host or group; did you mean 'web2'?", problem);
        Assert.DoesNotContain("'web1'", problem);
    }

    [Fact]
    public void A_large_fleet_is_not_listed_whole()
    {
        var fleet = Enumerable.Range(1, 500).Select(i => Host($"h{i:000}")).ToList();

        var problem = HostSelection.Parse("zz")!.Problem(fleet)!;

        Assert.Contains("h001, h002", problem);
        Assert.Contains("and 488 more", problem);
        Assert.True(problem.Length < 400, problem);
    }

    [Fact]
    public void A_host_known_only_by_name_matches_names_and_globs_not_groups()
    {
        var selection = HostSelection.Parse("web*,mail")!;

        Assert.True(selection.SelectsName("web9"));
        Assert.False(selection.SelectsName("mail1"));
    }

    [Fact]
    public void Many_stars_against_a_long_name_end_quickly()
    {
        // Matched without regular expressions: no backtracking blow-up on a pathological pattern.
        var name = new string('a', 10_000);
        var pattern = string.Concat(Enumerable.Repeat("*a", 50)) + "b";

        Assert.False(HostSelection.Parse(pattern)!.Selects(Host(name)));
    }

    [Fact]
    public void A_huge_selection_gives_a_bounded_error_quickly()
    {
        var terms = string.Join(",", Enumerable.Range(0, 10_000).Select(i => $"nohost{i}")) + "," + new string('x', 200_000);
        var started = DateTime.UtcNow;

        var problem = HostSelection.Parse(terms)!.Problem(Fleet)!;

        Assert.True(problem.Length < 2_000, $"{problem.Length} characters");
        Assert.Contains("and 9996 more term(s) selecting nothing", problem);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }
}
