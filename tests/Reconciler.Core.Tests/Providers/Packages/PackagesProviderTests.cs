using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Packages;
using static Reconciler.Core.Tests.Support.ProviderHarness;

namespace Reconciler.Core.Tests.Providers.Packages;

/// <summary>
/// Fact lines are written as the packages read prints them (<see cref="AptRead"/>): <c>D\tNAME\tSTATUS\tVERSION\tWANT</c>
/// from dpkg-query, <c>A\tNAME\tVERSION</c> from apt-cache madison, <c>S\t</c>apt's simulation line, <c>E\t</c>its
/// error, <c>X\tinstall|purge\tEXIT</c>, <c>T\tNOW\tNEWEST-LIST-TIME|none</c> (none: no package list).
/// </summary>
public sealed class PackagesProviderTests
{
    private static readonly SourceLocation At = new("specs/hosts/web1.yaml", 3, 5);
    private readonly IResourceProvider _provider = new PackagesProvider();

    private static PackageResource Pkg(string name, PackageState state = PackageState.Present, string? version = null, bool? hold = null, TimeSpan? refresh = null) =>
        new(name, state, version, hold, refresh, At);

    private IReadOnlyList<ResourceChange> PlanOf(IReadOnlyList<Resource> resources, params string[] lines) =>
        Plan(_provider, resources, Parse(_provider, resources, lines));

    [Fact]
    public void Installed_package_at_its_declared_version_and_hold_is_a_no_op()
    {
        var change = Assert.Single(PlanOf([Pkg("rc-hello", version: "1.0", hold: true)], "D\trc-hello\thi \t1.0\thold", "A\trc-hello\t1.0", "A\trc-hello\t2.0"));

        Assert.Equal(ChangeAction.NoOp, change.Action);
    }

    [Fact]
    public void An_install_shows_the_version_apt_chooses_and_the_dependency_it_pulls_in_on_the_first_change()
    {
        Resource[] resources = [Pkg("rc-hello"), Pkg("rc-app")];
        var plan = PlanOf(resources,
            "D\trc-hello\tii \t1.0\tinstall",
            "A\trc-hello\t1.0", "A\trc-app\t1.0", "A\trc-lib\t1.0",
            "S\tInst rc-lib (1.0 localhost [all])",
            "S\tInst rc-app (1.0 localhost [all])",
            "X\tinstall\t0");

        Assert.Equal(ChangeAction.NoOp, plan[0].Action);
        Assert.Equal(ChangeAction.Create, plan[1].Action);
        Assert.Equal(
            [
                AttributeChange.Of(PackageAttributeNames.State, "not installed", "installed"),
                AttributeChange.Of(PackageAttributeNames.Version, null, "1.0"),
                AttributeChange.Of(PackageAttributeNames.AptInstalls("rc-lib"), null, "1.0"),
            ],
            plan[1].Attributes);
        Assert.Equal(ChangeEffects.None, plan[1].Effects);
    }

    [Fact]
    public void A_package_apt_would_remove_that_the_spec_does_not_name_is_a_deleted_part()
    {
        var change = Assert.Single(PlanOf([Pkg("rc-lib", PackageState.Absent)],
            "D\trc-lib\tii \t1.0\tinstall",
            "S\tRemv rc-app [1.0]",
            "S\tRemv rc-lib [1.0]",
            "X\tinstall\t0"));

        Assert.Equal(ChangeAction.Delete, change.Action);
        Assert.Equal(
            [
                AttributeChange.Of(PackageAttributeNames.State, "installed (1.0)", "removed, config files kept"),
                new AttributeChange(PackageAttributeNames.AptRemoves("rc-app"), PlanValue.Of("1.0"), new PlanValue.Deleted()),
            ],
            change.Attributes);
        Assert.True(change.Effects.HasFlag(ChangeEffects.DeletesData));
    }

    [Fact]
    public void A_named_package_apt_would_remove_against_its_declared_state_is_shown_as_apts_removal()
    {
        var plan = PlanOf([Pkg("rc-lib", PackageState.Absent), Pkg("rc-app")],
            "D\trc-lib\tii \t1.0\tinstall", "D\trc-app\tii \t1.0\tinstall", "S\tRemv rc-app [1.0]", "S\tRemv rc-lib [1.0]", "X\tinstall\t0");

        Assert.Contains(new AttributeChange(PackageAttributeNames.AptRemoves("rc-app"), PlanValue.Of("1.0"), new PlanValue.Deleted()), plan[0].Attributes);
        Assert.Equal(ChangeAction.NoOp, plan[1].Action);
    }

    [Fact]
    public void A_version_the_lists_do_not_offer_is_blocked_naming_the_versions_they_do()
    {
        var change = Assert.Single(PlanOf([Pkg("rc-hello", version: "3.0")], "A\trc-hello\t2.0", "A\trc-hello\t1.0"));

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Equal("version 3.0 of rc-hello is not in this host's apt lists (they offer 2.0, 1.0)", change.Note);
    }

    [Fact]
    public void A_package_no_list_offers_is_blocked()
    {
        var change = Assert.Single(PlanOf([Pkg("nosuch")]));

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Equal("nosuch is not in this host's apt lists", change.Note);
    }

    [Fact]
    public void Upgrade_and_downgrade_are_updates_of_the_version()
    {
        var up = Assert.Single(PlanOf([Pkg("rc-hello", version: "2.0")], "D\trc-hello\tii \t1.0\tinstall", "A\trc-hello\t2.0", "A\trc-hello\t1.0", "S\tInst rc-hello [1.0] (2.0 localhost [all])", "X\tinstall\t0"));
        var down = Assert.Single(PlanOf([Pkg("rc-hello", version: "1.0")], "D\trc-hello\tii \t2.0\tinstall", "A\trc-hello\t2.0", "A\trc-hello\t1.0", "S\tInst rc-hello [2.0] (1.0 localhost [all])", "X\tinstall\t0"));

        Assert.Equal(ChangeAction.Update, up.Action);
        Assert.Equal([AttributeChange.Of(PackageAttributeNames.Version, "1.0", "2.0")], up.Attributes);
        Assert.Equal([AttributeChange.Of(PackageAttributeNames.Version, "2.0", "1.0")], down.Attributes);
    }

    [Fact]
    public void A_half_configured_package_is_shown_as_such_and_planned_installed()
    {
        var change = Assert.Single(PlanOf([Pkg("rc-broken")], "D\trc-broken\tiF \t1.0\tinstall", "A\trc-broken\t1.0", "X\tinstall\t0"));

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal([AttributeChange.Of(PackageAttributeNames.State, "half-configured (1.0): its configuration failed", "installed")], change.Attributes);
    }

    [Fact]
    public void Purge_of_a_removed_package_with_config_files_is_a_delete_and_absent_is_already_true()
    {
        var plan = PlanOf([Pkg("rc-conf", PackageState.Purged), Pkg("rc-other", PackageState.Absent)],
            "D\trc-conf\trc \t1.0\tdeinstall", "D\trc-other\trc \t1.0\tdeinstall", "S\tPurg rc-conf", "X\tpurge\t0");

        Assert.Equal(ChangeAction.Delete, plan[0].Action);
        Assert.Equal([AttributeChange.Of(PackageAttributeNames.State, "removed, config files kept (1.0)", "purged")], plan[0].Attributes);
        Assert.Equal(ChangeAction.NoOp, plan[1].Action);
    }

    [Fact]
    public void A_hold_alone_is_an_update()
    {
        var change = Assert.Single(PlanOf([Pkg("rc-hello", hold: true)], "D\trc-hello\tii \t1.0\tinstall", "A\trc-hello\t1.0"));

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal([AttributeChange.Of(PackageAttributeNames.Hold, "not held", "held")], change.Attributes);
    }

    [Theory]
    [InlineData("T\t100000\t90000", "updated 2h 46m ago")]
    [InlineData("T\t100000\tnone", "none")]
    public void Lists_older_than_max_age_are_refreshed_first_and_the_plan_says_so(string time, string before)
    {
        var change = Assert.Single(PlanOf([Pkg("rc-hello", refresh: TimeSpan.FromHours(1))], "D\trc-hello\tii \t1.0\tinstall", "A\trc-hello\t1.0", time));

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal([AttributeChange.Of(PackageAttributeNames.Lists, before, "apt-get update first (max_age 1h 0m)")], change.Attributes);
    }

    [Fact]
    public void On_a_host_whose_lists_were_never_updated_a_package_they_lack_is_planned_after_the_refresh_not_blocked()
    {
        // A fresh Debian host (or container) has no lists at all; apt's simulation against them cannot find the package.
        var change = Assert.Single(PlanOf([Pkg("tree", refresh: TimeSpan.FromDays(1))], "E\tUnable to locate package tree", "T\t100000\tnone"));

        Assert.Equal(ChangeAction.Create, change.Action);
        Assert.Equal(
            [
                AttributeChange.Of(PackageAttributeNames.State, "not installed", "installed"),
                new AttributeChange(PackageAttributeNames.Version, new PlanValue.Absent(), PlanValue.Of("the updated lists' candidate")),
                AttributeChange.Of(PackageAttributeNames.Lists, "none", "apt-get update first (max_age 1d 0h)"),
            ], change.Attributes);
        // Without a refresh to wait for, the same host blocks it.
        Assert.Equal(ChangeAction.Blocked, Assert.Single(PlanOf([Pkg("tree")])).Action);
    }

    [Fact]
    public void Lists_younger_than_max_age_are_left_alone()
    {
        var change = Assert.Single(PlanOf([Pkg("rc-hello", refresh: TimeSpan.FromHours(1))], "D\trc-hello\tii \t1.0\tinstall", "A\trc-hello\t1.0", "T\t100000\t99000"));

        Assert.Equal(ChangeAction.NoOp, change.Action);
    }

    [Fact]
    public void A_change_apt_refuses_to_simulate_is_blocked_with_apts_error()
    {
        var change = Assert.Single(PlanOf([Pkg("rc-app")], "A\trc-app\t1.0", "E\tUnable to correct problems, you have held broken packages.", "X\tinstall\t100"));

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Equal("apt's simulation of this host's package changes fails: Unable to correct problems, you have held broken packages.", change.Note);
    }

    [Theory]
    [InlineData("S\tInst rc-lib; touch /tmp/x (1.0 localhost [all])")]
    [InlineData("S\tInst rc-lib (1.0 localhost [all])\u001b[31m")]
    [InlineData("S\tInst rc-lib (1.0\nlocalhost [all])")]
    [InlineData("S\tInst rc-lib (1.0 localhost [all])\textra")]
    [InlineData("S\tInst rc-lib")]
    [InlineData("S\tRemv rc-lib [1.0] (2.0 localhost [all])")]
    [InlineData("S\tInst rc-lib ($(id) localhost [all])")]
    [InlineData("S\tConf rc-lib (1.0 localhost [all])")]
    [InlineData("D\trc-hello\tii \t1.0\tinstall\textra")]
    [InlineData("D\trc-hello\tzz \t1.0\tinstall")]
    [InlineData("D\trc-hello\tii \t1.0 `id`\tinstall")]
    [InlineData("D\tRC-HELLO\tii \t1.0\tinstall")]
    [InlineData("A\trc-hello\t1.0;id")]
    [InlineData("X\tinstall\t-1")]
    [InlineData("X\tupgrade\t0")]
    [InlineData("T\t1\t2")]
    [InlineData("Inst rc-lib (1.0 localhost [all])")]
    public void Hostile_or_broken_lines_are_a_malformed_answer(string line)
    {
        var e = Assert.Throws<MalformedFactsException>(() => Parse(_provider, [Pkg("rc-hello")], [line]));

        Assert.StartsWith("packages facts", e.Message.Replace("package facts", "packages facts"));
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\u001b', e.Message);
    }

    [Fact]
    public void A_package_dpkg_answers_for_twice_is_a_malformed_answer()
    {
        var e = Assert.Throws<MalformedFactsException>(() => Parse(_provider, [Pkg("rc-hello")], ["D\trc-hello\tii \t1.0\tinstall", "D\trc-hello\trc \t1.0\tdeinstall"]));

        Assert.Equal("packages facts: dpkg answered for rc-hello twice", e.Message);
    }

    [Fact]
    public void More_records_than_the_bound_are_a_malformed_answer()
    {
        var lines = Enumerable.Repeat("S\tInst rc-lib (1.0 localhost [all])", AptFactParser.MaxRecords + 1).ToList();

        Assert.Throws<MalformedFactsException>(() => Parse(_provider, [Pkg("rc-hello")], lines));
    }

    [Fact]
    public void Apts_error_text_is_shown_printable_and_bounded()
    {
        var change = Assert.Single(PlanOf([Pkg("rc-app")], "A\trc-app\t1.0", "E\t\u001b]0;owned\u0007" + new string('x', 500), "X\tinstall\t100"));

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.DoesNotContain('\u001b', change.Note!);
        Assert.True(change.Note!.Length < 300);
    }

    [Fact]
    public void All_changes_on_a_host_are_one_apt_call_carried_by_the_first_the_others_confirm()
    {
        Resource[] resources = [Pkg("rc-hello", version: "2.0", hold: true), Pkg("rc-lib", PackageState.Absent), Pkg("rc-conf", PackageState.Purged), Pkg("rc-x", hold: false)];
        var observed = Parse(_provider, resources,
        [
            "D\trc-hello\tii \t1.0\tinstall", "A\trc-hello\t2.0", "D\trc-lib\tii \t1.0\tinstall", "D\trc-conf\tii \t1.0\tinstall", "D\trc-x\thi \t1.0\thold",
            "S\tInst rc-hello [1.0] (2.0 localhost [all])", "S\tRemv rc-lib [1.0]", "X\tinstall\t0", "S\tPurg rc-conf [1.0]", "X\tpurge\t0",
        ]);
        var changes = resources.Select((r, i) => _provider.Diff(r, observed[i])).ToList();

        var group = Assert.IsType<ChangeGroup>(Group(_provider, resources, observed, changes));

        Assert.Equal(4, group.Steps.Count);
        Assert.Empty(group.After);
        var carrier = group.Steps[0].Script;
        Assert.Contains("apt-get -y -q --allow-downgrades --allow-change-held-packages -o Dpkg::Options::=--force-confold -o 'DPkg::Lock::Timeout=120' install -- 'rc-hello=2.0' 'rc-lib-'", carrier);
        Assert.Contains("purge -- 'rc-conf'", carrier);
        Assert.Contains("apt-mark hold -- 'rc-hello'", carrier);
        Assert.Contains("apt-mark unhold -- 'rc-x'", carrier);
        Assert.Contains("export DEBIAN_FRONTEND=noninteractive", carrier);
        Assert.Contains("exit 101", carrier);
        Assert.DoesNotContain("apt-get -q -o", carrier);
        // The note shares the change's line in a plan: what the call will not do, in few words (docs/specs.md tells how)
        Assert.Equal("one apt call for 4 package change(s): config files kept, no daemon started, dpkg lock waited for up to 120s", group.Steps[0].Note);
        Assert.All(group.Steps.Skip(1), s => Assert.Equal("applied in package[rc-hello]'s transaction", s.Note));
        Assert.All(group.Steps.Skip(1), s => Assert.DoesNotContain("apt-get", s.Script));
    }

    [Fact]
    public void A_refresh_that_leaves_no_lists_stops_the_call_before_the_stamp_and_before_apt_changes_anything()
    {
        // Missing lists are due at every read: an update that brings none (no apt source, or none fetched) must say so,
        // and write no stamp, instead of an install apt cannot find.
        Resource[] resources = [Pkg("tree", refresh: TimeSpan.FromDays(1))];
        var observed = Parse(_provider, resources, ["T\t100000\tnone"]);
        var changes = resources.Select((r, i) => _provider.Diff(r, observed[i])).ToList();

        var carrier = Assert.IsType<ChangeGroup>(Group(_provider, resources, observed, changes)).Steps[0].Script;

        int At(string text) => carrier.IndexOf(text, StringComparison.Ordinal) is var i and >= 0 ? i : throw new Xunit.Sdk.XunitException($"no '{text}' in:\n{carrier}");
        Assert.True(At("apt-get -q -o") < At("if ! " + AptRead.HasPackageLists));
        Assert.True(At(AptRead.HasPackageLists) < At("apt-get update left no package lists on the host"));
        Assert.True(At("apt-get update left no package lists") < At("touch -- " + Reconciler.Core.Shell.Sh.Quote(AptRead.UpdateStamp)));
        Assert.True(At("touch -- ") < At("install -- 'tree'"));
    }

    [Fact]
    public void The_read_asks_apt_to_simulate_only_what_it_can_be_asked_and_takes_no_lock()
    {
        var script = Assert.Single(_provider.Queries([Pkg("rc-hello", version: "2.0"), Pkg("rc-lib", PackageState.Absent), Pkg("rc-conf", PackageState.Purged)])).Script;

        Assert.Contains("dpkg-query -W", script);
        Assert.Contains("madison -- 'rc-hello' 'rc-lib' 'rc-conf'", script);
        Assert.Contains("rc_pk_has 'rc-hello' '2.0'; then rc_pk_i=\"$rc_pk_i \"'rc-hello=2.0'", script);
        Assert.Contains("apt-get -s -o Debug::NoLocking=1", script);
        Assert.DoesNotContain("apt-get update", script);
        Assert.DoesNotContain("stat -c", script);
    }

    [Fact]
    public void The_read_writes_no_apt_cache_and_hands_awk_its_values_through_the_environment()
    {
        // Hostile review: as root, `apt-get -s` and `apt-cache madison` rewrote /var/cache/apt/pkgcache.bin and
        // srcpkgcache.bin whenever the lists had changed (seen in reconciler/host-debian:1), without apt's lock: a plan
        // wrote to the host. An empty Dir::Cache::pkgcache/srcpkgcache keeps apt's cache in memory. And awk -v reads
        // backslash escapes in its values: the rule in docs/security.md is ENVIRON, never -v.
        var script = Assert.Single(_provider.Queries([Pkg("rc-hello", version: "2.0"), Pkg("rc-conf", PackageState.Purged), Pkg("rc-lib", refresh: TimeSpan.FromHours(1))])).Script;

        var aptCalls = System.Text.RegularExpressions.Regex.Matches(script, @"\bapt-(get|cache)\b[^|;)]*").Select(m => m.Value).ToList();
        Assert.Equal(3, aptCalls.Count);
        Assert.All(aptCalls, call => Assert.Contains(AptRead.ReadOnlyCache, call));
        Assert.DoesNotContain("awk -v", script);
        Assert.DoesNotMatch(@"awk[^']*\s-v\s", script);
    }

    [Fact]
    public void A_packages_fingerprint_holds_the_refresh_decision_and_the_candidates_not_the_lists_age()
    {
        // The quickstart's apply was refused on every host with lists: their age is a clock reading, older at every
        // read, so a plan's fingerprint that held it never matched the fingerprint of apply's re-plan.
        // (rc-app shows no refresh: the decision is in its fingerprint too, as its diff follows from it)
        Resource[] resources = [Pkg("rc-hello", refresh: TimeSpan.FromHours(1)), Pkg("rc-app", refresh: TimeSpan.FromHours(1))];
        string Fingerprint(string offered, string time) => string.Join(' ', Parse(_provider, resources,
                [$"A\trc-hello\t{offered}", "A\trc-app\t1.0", $"S\tInst rc-hello ({offered} localhost [all])", "S\tInst rc-app (1.0 localhost [all])", "X\tinstall\t0", time])
            .Select(o => LiveFingerprint.Of(o, PlanKey.Ephemeral)));

        var fresh = Fingerprint("1.0", "T\t100000\t99000");
        var stale = Fingerprint("1.0", "T\t100000\t90000");

        // Lists a few minutes older (a second read, or the answer to apply's question) decide the same
        Assert.Equal(fresh, Fingerprint("1.0", "T\t100300\t99000"));
        Assert.Equal(stale, Fingerprint("1.0", "T\t100300\t90000"));
        // A refresh that is due now and was not then (or the other way round), or another candidate, is another host
        Assert.NotEqual(fresh.Split(' ')[0], stale.Split(' ')[0]);
        Assert.NotEqual(fresh.Split(' ')[1], stale.Split(' ')[1]);
        Assert.NotEqual(fresh, Fingerprint("2.0", "T\t100000\t99000"));
        Assert.NotEqual(stale, Fingerprint("2.0", "T\t100000\t90000"));
    }

    [Fact]
    public void A_packages_fingerprint_follows_the_hosts_apt_facts_without_holding_them_whole()
    {
        AptHostFacts Facts(string version) => new(
            new Dictionary<string, DpkgEntry> { ["rc-a"] = new("ii", version, "install") },
            new Dictionary<string, IReadOnlyList<string>> { ["rc-a"] = ["1.0", "2.0"] }, [], null, null);
        var key = PlanKey.Ephemeral;

        var first = LiveFingerprint.Of(new PackageObserved(null, ["1.0"], Facts("1.0"), false, false), key);
        var same = LiveFingerprint.Of(new PackageObserved(null, ["1.0"], Facts("1.0"), false, false), key);
        var changed = LiveFingerprint.Of(new PackageObserved(null, ["1.0"], Facts("2.0"), false, false), key);

        // Equal host facts in other instances fingerprint equally; a change in them (another package's version) shows.
        Assert.Equal(first, same);
        Assert.NotEqual(first, changed);
        Assert.DoesNotContain("rc-a", CanonicalJson.Serialize(new PackageObserved(null, [], Facts("1.0"), false, false)));
    }
}
