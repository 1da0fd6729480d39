using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.Permissions;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Engine;

/// <summary>
/// Glob paths through the engine with <see cref="FakeTransport"/> (the real batched script, run with /bin/sh): expanded on
/// the host in the one read, each match planned as its own change, and matches that come or go after a saved plan skipped.
/// </summary>
public sealed class GlobPathTests : IDisposable
{
    private readonly TempDir _dir = new();
    private static readonly ProviderRegistry Providers = new([new FileProvider(), new PermissionsProvider()]);

    public void Dispose() => _dir.Dispose();

    private static Reconciliation Engine(FakeTransport transport) => new(transport, Providers, new ReconcileOptions());

    private static HostDesiredState Host(params Resource[] resources) =>
        new(new HostSpec("h", "10.0.0.1", 22, "root", "~/.ssh/id", "SHA256:x", [], new Dictionary<string, object?>()), resources);

    /// <summary>A "/home" in the temp dir with directories of mode 0755, hostile names among them.</summary>
    private string Home(params string[] names)
    {
        var home = Directory.CreateDirectory(_dir["home"]).FullName;
        foreach (var name in names)
        {
            Directory.CreateDirectory(Path.Combine(home, name));
            LocalShell.Run($"chmod 0755 -- {Reconciler.Core.Shell.Sh.Quote(Path.Combine(home, name))}");
        }

        return home;
    }

    private static FileResource Glob(string pattern, string mode = "0700") =>
        Res.File(pattern, type: FileType.Directory, mode: mode) with { Glob = true };

    private static string Mode(string path) => LocalShell.Run($"stat -c %a -- {Reconciler.Core.Shell.Sh.Quote(path)}").Stdout.Trim();

    [Fact]
    public async Task A_glob_is_planned_as_one_change_per_match_each_read_like_a_literal_path_in_one_script()
    {
        var home = Home("alice", "b ob", "-dash", "tab\tname");
        var transport = new FakeTransport();

        var plan = await Engine(transport).PlanAsync(new DesiredState([Host(Glob(home + "/*"))]), null, CancellationToken.None);

        var host = Assert.Single(plan.Hosts);
        Assert.Null(host.Error);
        Assert.Equal(1, transport.ScriptCount("h"));
        Assert.Equal(
            new[] { "-dash", "alice", "b ob", "tab\\x09name" }.Select(n => $"file[{home}/{n}]").Order(StringComparer.Ordinal),
            host.Changes.Select(c => c.Address.ToString()).Order(StringComparer.Ordinal));
        Assert.All(host.Changes.Where(c => !c.Address.Name.EndsWith("name", StringComparison.Ordinal)), c =>
        {
            Assert.Equal(ChangeAction.Update, c.Action);
            Assert.Equal($"matched by {home}/* (declared at {Res.At})", c.Note);
            Assert.Equal(home + "/*", c.MatchedBy);
            Assert.Equal(new PlanValue.Text("0755"), c.Attributes.Single().Before);
        });
        // A control character (tab, newline) in a name: shown escaped, never managed.
        var tab = Assert.Single(host.Changes, c => c.Action == ChangeAction.Blocked);
        Assert.Equal($"matched by {home}/* (declared at {Res.At}); its name holds a control character; it is not managed", tab.Note);
    }

    [Fact]
    public async Task Apply_changes_every_match_and_the_verifying_read_converges()
    {
        var home = Home("alice", "-dash", "b ob");

        var result = await Engine(new FakeTransport()).ApplyAsync(new DesiredState([Host(Glob(home + "/*"))]), null, CancellationToken.None);

        Assert.True(result.Succeeded, string.Join("; ", result.Hosts.Select(h => h.Error)));
        Assert.All(new[] { "alice", "-dash", "b ob" }, n => Assert.Equal("700", Mode(Path.Combine(home, n))));
    }

    [Fact]
    public async Task No_match_is_one_skip_naming_the_pattern_not_the_literal_pattern_path()
    {
        var home = Home();

        var plan = await Engine(new FakeTransport()).PlanAsync(new DesiredState([Host(Glob(home + "/*"))]), null, CancellationToken.None);

        var change = Assert.Single(Assert.Single(plan.Hosts).Changes);
        Assert.Equal(ChangeAction.Skip, change.Action);
        Assert.Equal($"file[{home}/*]", change.Address.ToString());
        Assert.Equal($"no path matches {home}/*", change.Note);
    }

    [Fact]
    public async Task A_literal_declaration_of_a_matched_path_wins_over_the_glob()
    {
        var home = Home("alice", "bob");
        var literal = Res.File(home + "/alice", type: FileType.Directory, mode: "0750");

        var plan = await Engine(new FakeTransport()).PlanAsync(new DesiredState([Host(Glob(home + "/*"), literal)]), null, CancellationToken.None);

        var changes = Assert.Single(plan.Hosts).Changes;
        Assert.Equal([$"file[{home}/bob]", $"file[{home}/alice]"], changes.Select(c => c.Address.ToString()));
        Assert.Equal(new PlanValue.Text("0750"), changes[1].Attributes.Single().After);
        Assert.Null(changes[1].MatchedBy);
    }

    [Fact]
    public async Task A_match_whose_name_holds_a_newline_is_blocked_under_an_escaped_address_and_not_applied()
    {
        var home = Home("new\nline", "ok");

        var result = await Engine(new FakeTransport()).ApplyAsync(new DesiredState([Host(Glob(home + "/*"))]), null, CancellationToken.None);

        var planned = Assert.Single(result.Hosts).Planned.Changes;
        var blocked = Assert.Single(planned, c => c.Action == ChangeAction.Blocked);
        Assert.Equal($"file[{home}/new\\nline]", blocked.Address.ToString());
        Assert.Equal("755", Mode(Path.Combine(home, "new\nline")));
        Assert.Equal("700", Mode(Path.Combine(home, "ok")));
    }

    [Fact]
    public async Task More_matches_than_the_cap_block_the_glob_with_the_reason_and_read_none_of_them()
    {
        var home = Home();
        for (var i = 0; i <= GlobPaths.MaxMatches; i++)
        {
            File.Create(Path.Combine(home, $"f{i}")).Dispose();
        }

        var plan = await Engine(new FakeTransport()).PlanAsync(new DesiredState([Host(Glob(home + "/*"))]), null, CancellationToken.None);

        var change = Assert.Single(Assert.Single(plan.Hosts).Changes);
        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Equal($"{home}/*: more than 10000 paths match (the host counted 10001); declare a narrower pattern", change.Note);
    }

    [Fact]
    public async Task Permissions_glob_excludes_a_pattern_and_plans_each_other_match()
    {
        var home = Home("alice", "bob", "carol");
        File.WriteAllText(Path.Combine(home, "alice", "notes"), "x");
        LocalShell.Run($"chmod 0666 -- '{home}/alice/notes' '{home}/bob' && chmod 0777 -- '{home}/carol'");
        var permissions = new PermissionsResource(home + "/*", true, "o-w", [home + "/b*"], Res.At) { Glob = true, ExcludePatterns = true };

        var plan = await Engine(new FakeTransport()).PlanAsync(new DesiredState([Host(permissions)]), null, CancellationToken.None);

        var changes = Assert.Single(plan.Hosts).Changes;
        Assert.Equal([$"permissions[{home}/alice o-w]", $"permissions[{home}/carol o-w]"], changes.Select(c => c.Address.ToString()).Order(StringComparer.Ordinal));
        Assert.All(changes, c => Assert.Equal(ChangeAction.Update, c.Action));
    }

    [Fact]
    public async Task Apply_of_a_saved_plan_skips_a_path_matched_after_the_plan_and_one_no_longer_matching()
    {
        var home = Home("alice", "bob");
        var state = new DesiredState([Host(Glob(home + "/*"))]);
        var transport = new FakeTransport();
        var saved = await Engine(transport).PlanAsync(state, null, CancellationToken.None);
        Home("mallory");
        Directory.Delete(Path.Combine(home, "bob"));

        var result = await Engine(transport).ApplyAsync(state, new ApplySettings(Approved: saved), null, CancellationToken.None);

        var host = Assert.Single(result.Hosts);
        Assert.True(host.Succeeded, host.Error);
        Assert.Equal("700", Mode(Path.Combine(home, "alice")));
        Assert.Equal("755", Mode(Path.Combine(home, "mallory")));
        var mallory = Assert.Single(host.Planned.Changes, c => c.Address.Name == home + "/mallory");
        Assert.Equal(ChangeAction.Skip, mallory.Action);
        Assert.EndsWith("; matched after the plan; not applied; a new plan picks it up", mallory.Note);
        var bob = Assert.Single(host.Planned.Changes, c => c.Address.Name == home + "/bob");
        Assert.Equal(ChangeAction.Skip, bob.Action);
        Assert.Equal("matched when planned, no longer matches; nothing applied", bob.Note);
        Assert.Equal([home + "/alice"], host.Outcomes.Select(o => o.Address.Name));
    }

    [Fact]
    public void Stale_ignores_glob_matches_that_came_or_went_but_not_a_literal_or_a_changed_match()
    {
        var at = Res.At;
        ResourceChange Change(string name, string fingerprint, string? glob) =>
            new(new ResourceAddress("file", name), ChangeAction.Update, [], at) { Fingerprint = fingerprint, MatchedBy = glob };
        var approved = new HostPlan("h", [Change("/home/a", "f1", "/home/*"), Change("/home/b", "f2", "/home/*"), Change("/etc/x", "f3", null)]);

        Assert.Null(Reconciliation.Stale(approved, new HostPlan("h", [Change("/home/a", "f1", "/home/*"), Change("/home/new", "f9", "/home/*"), Change("/etc/x", "f3", null)])));
        Assert.Equal("re-plan: file[/home/a] changed on h since the plan",
            Reconciliation.Stale(approved, new HostPlan("h", [Change("/home/a", "changed", "/home/*"), Change("/etc/x", "f3", null)])));
        Assert.Equal("re-plan: file[/etc/y] changed on h since the plan",
            Reconciliation.Stale(approved, new HostPlan("h", [Change("/home/a", "f1", "/home/*"), Change("/etc/x", "f3", null), Change("/etc/y", "f4", null)])));
        Assert.Equal("re-plan: file[/etc/x] changed on h since the plan",
            Reconciliation.Stale(approved, new HostPlan("h", [Change("/home/a", "f1", "/home/*")])));
    }
    [Fact]
    public async Task A_name_escaped_for_a_control_character_cannot_collide_with_a_name_spelled_with_that_escape()
    {
        // A local user makes "x<newline>y" and "x\\ny": the first's escaped address must not be the second's.
        var home = Home("x\ny", "x\\ny");
        var state = new DesiredState([Host(Glob(home + "/*"))]);
        var transport = new FakeTransport();

        var saved = await Engine(transport).PlanAsync(state, null, CancellationToken.None);
        var change = Assert.Single(Assert.Single(saved.Hosts).Changes);
        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Equal($"file[{home}/*]", change.Address.ToString());
        Assert.Contains("two matching paths show as", change.Note, StringComparison.Ordinal);

        // apply --plan of that plan neither throws nor touches either path.
        var result = await Engine(transport).ApplyAsync(state, new ApplySettings(Approved: saved), null, CancellationToken.None);
        Assert.Empty(Assert.Single(result.Hosts).Outcomes);
        Assert.Equal("755", Mode(Path.Combine(home, "x\\ny")));
        Assert.Equal("755", Mode(Path.Combine(home, "x\ny")));
    }

    [Fact]
    public async Task A_match_escaped_for_a_control_character_is_left_to_a_literal_declared_under_that_escaped_name()
    {
        var home = Home("x\ny");
        var literal = Res.File(home + "/x\\ny", type: FileType.Directory, mode: "0750", whenMissing: WhenMissing.Skip);

        var plan = await Engine(new FakeTransport()).PlanAsync(new DesiredState([Host(Glob(home + "/*"), literal)]), null, CancellationToken.None);

        var changes = Assert.Single(plan.Hosts).Changes;
        Assert.Equal(changes.Count, changes.Select(c => c.Address).Distinct().Count());
    }
}
