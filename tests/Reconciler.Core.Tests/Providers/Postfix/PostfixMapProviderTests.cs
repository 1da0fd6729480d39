using System.Text;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Postfix;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Providers.Postfix;

/// <summary>
/// postfix_map: a mysql_table(5) file rendered from the spec, planned by digest and by its non-secret settings, and
/// applied in the postfix transaction with <c>postmap -q</c> against the staged copy. The password never appears in a
/// fact, an attribute, a note or an observed record. Fact lines: <c>D\tDIR</c>, <c>G\tGROUP</c>, <c>T\tTYPE</c>, per map
/// the file facts (<c>S\tI\tTYPE\tOWNER\tUID\tGROUP\tGID\tMODE</c>, <c>H\tI\tSHA256</c>), <c>K\tI\tLINE</c> (password lines left out) and <c>P\tI\tSHA256(password)</c>.
/// </summary>
public sealed class PostfixMapProviderTests : IDisposable
{
    private const string Password = "pw-5b0e-db-secret";

    private readonly IResourceProvider _provider = new PostfixProvider();
    private readonly TempDir _dir = new();
    private static readonly SourceLocation At = new("specs/mail/postfix.yaml", 1, 1);

    private static readonly PostfixMapResource Alias = new(
        "mysql_virtual_alias_maps.cf",
        "mysql",
        [new("hosts", "127.0.0.1"), new("user", "postfix"), new("dbname", "postfix"), new("table", "alias"), new("select_field", "goto"), new("where_field", "address")],
        Password,
        new PostfixMapProbe("postmaster@example.test", "alice@example.test"),
        At);

    private static readonly PostfixMapResource Domains = Alias with
    {
        Name = "mysql_virtual_domains_maps.cf",
        Settings = [new("hosts", "127.0.0.1"), new("user", "postfix"), new("dbname", "postfix"), new("query", "SELECT domain FROM domain WHERE domain='%s' and active = '1'")],
        Probe = null,
    };

    private static readonly PostfixMainResource AliasMaps = new("virtual_alias_maps", "mysql:/etc/postfix/mysql_virtual_alias_maps.cf", At);

    public void Dispose() => _dir.Dispose();

    /// <summary>The map files' facts (S, H) answered in their section, the kind's own records in its; planned as the engine plans a host.</summary>
    private IReadOnlyList<ResourceChange> Plan(IReadOnlyList<Resource> resources, params string[] lines) =>
        ProviderHarness.Plan(_provider, resources, Observe(resources, lines));

    private IReadOnlyList<object> Observe(IReadOnlyList<Resource> resources, params string[] lines)
    {
        var file = lines.Where(l => l.Split('\t')[0] is "S" or "H").ToList();
        var own = lines.Where(l => l.Split('\t')[0] is not ("S" or "H")).ToList();
        return _provider.ParseFacts(resources, resources.OfType<PostfixMapResource>().Any()
            ? ProviderHarness.Answers(_provider, resources, (_provider.Kind, own), (FileFacts.Unit, file))
            : ProviderHarness.Answers(_provider, resources, (_provider.Kind, own)));
    }

    private static string Facts(ResourceChange change) =>
        string.Join("\n", change.Attributes.Select(a => $"{a.Name}: {a.Before} -> {a.After} {a.Sensitive}")) + "\n" + change.Note;

    private static readonly string[] Host = ["I", "D\t/etc/postfix", "G\tpostfix", "T\tbtree", "T\tmysql"];

    private static string[] Live(PostfixMapResource map, string mode = "640", string owner = "root postfix", string? text = null, string password = Password)
    {
        var content = text ?? map.Render();
        return
        [
            .. Host,
            $"S\t0\tregular file\t{owner.Split(' ')[0]}\t0\t{owner.Split(' ')[1]}\t0\t{mode}",
            $"H\t0\t{Sha256Text.Hex(content)}",
            .. content.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("password", StringComparison.Ordinal)).Select(l => $"K\t0\t{l}"),
            $"P\t0\t{Sha256Text.Hex(password)}",
        ];
    }

    [Fact]
    public void Renders_mysql_table_lines_in_a_fixed_order_with_the_password_after_the_user()
    {
        Assert.Equal(
            "# postfix_map[mysql_virtual_alias_maps.cf]: written by reconciler; edits here are overwritten.\n" +
            $"hosts = 127.0.0.1\nuser = postfix\npassword = {Password}\ndbname = postfix\ntable = alias\nselect_field = goto\nwhere_field = address\n",
            Alias.Render());
        Assert.DoesNotContain(Password, Alias.ToString());
    }

    [Fact]
    public void A_missing_map_is_created_with_its_settings_and_the_password_only_as_a_sensitive_attribute()
    {
        var change = Plan([Alias], Host)[0];

        Assert.Equal(ChangeAction.Create, change.Action);
        Assert.Contains(AttributeChange.Of(new("path"), null, "/etc/postfix/mysql_virtual_alias_maps.cf"), change.Attributes);
        Assert.Contains(AttributeChange.Of(new("owner"), null, "root:postfix"), change.Attributes);
        Assert.Contains(AttributeChange.Of(new("mode"), null, "0640"), change.Attributes);
        Assert.Contains(AttributeChange.Of(new("table"), null, "alias"), change.Attributes);
        Assert.Contains(change.Attributes, a => a is { Name.Text: "password", Sensitive: true });
        Assert.Contains(AttributeChange.Of(new("reload"), null, "postfix"), change.Attributes);
        Assert.Equal(ChangeEffects.ReloadsService, change.Effects);
        Assert.Contains("postmap -q", change.Note);
        Assert.DoesNotContain(Password, Facts(change));
    }

    [Fact]
    public void The_rendered_file_with_its_mode_and_owner_is_a_no_op()
    {
        Assert.Equal(ChangeAction.NoOp, Plan([Alias], Live(Alias))[0].Action);
    }

    [Fact]
    public void A_changed_table_and_password_show_the_table_and_a_sensitive_password()
    {
        var live = Alias with { Settings = [.. Alias.Settings.Select(s => s.Key == "table" ? new KeyValuePair<string, string>("table", "aliasx") : s)] };

        var change = Plan([Alias], Live(live, password: "old-password-77"))[0];

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal(
            [
                AttributeChange.Of(new("table"), "aliasx", "alias"),
                AttributeChange.Secret(new("password"), before: true, after: true),
                AttributeChange.Of(new("reload"), null, "postfix"),
            ],
            change.Attributes);
        Assert.DoesNotContain(Password, Facts(change));
        Assert.DoesNotContain("old-password-77", Facts(change));
    }

    [Fact]
    public void Mode_owner_and_hand_edited_layout_are_changes_of_their_own()
    {
        var edited = Alias.Render().Replace("hosts = 127.0.0.1", "hosts   =   127.0.0.1", StringComparison.Ordinal);

        var change = Plan([Alias], Live(Alias, mode: "644", owner: "root root", text: edited))[0];

        Assert.Equal(
            [
                AttributeChange.Of(new("text"), "edited on the host (comments, order or spacing)", "as rendered from the spec"),
                AttributeChange.Of(new("owner"), "root:root", "root:postfix"),
                AttributeChange.Of(new("mode"), "0644", "0640"),
                AttributeChange.Of(new("reload"), null, "postfix"),
            ],
            change.Attributes);
    }

    [Fact]
    public void A_postfix_without_mysql_tables_blocks_the_map()
    {
        var change = Plan([Alias], "I", "D\t/etc/postfix", "G\tpostfix", "T\tbtree")[0];

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Contains("postfix-mysql", change.Note);
    }

    [Fact]
    public void A_main_cf_value_naming_a_table_file_that_is_neither_on_the_host_nor_declared_is_blocked()
    {
        var script = ProviderHarness.ReadScript(_provider, [AliasMaps]);
        Assert.Contains("[ -e '/etc/postfix/mysql_virtual_alias_maps.cf' ] || printf 'R\\t0\\t%s\\n' 'mysql:/etc/postfix/mysql_virtual_alias_maps.cf'", script);

        var missing = Plan([AliasMaps], "I", "D\t/etc/postfix", "E\t0\t", "R\t0\tmysql:/etc/postfix/mysql_virtual_alias_maps.cf")[0];
        Assert.Equal(ChangeAction.Blocked, missing.Action);
        Assert.Contains("would name mysql:/etc/postfix/mysql_virtual_alias_maps.cf", missing.Note);

        // Declared in the same run: it will be there when main.cf names it.
        var declared = Plan([AliasMaps, Alias], [.. Host, "E\t0\t", "R\t0\tmysql:/etc/postfix/mysql_virtual_alias_maps.cf"]);
        Assert.Equal(ChangeAction.Create, declared[0].Action);
        Assert.Equal(ChangeAction.Create, declared[1].Action);
    }

    [Fact]
    public void Table_references_are_found_behind_proxy_and_relative_to_config_directory()
    {
        var found = PostfixTableReferences.In("proxy:mysql:/etc/postfix/a.cf, hash:/etc/postfix/virtual mysql:$config_directory/b.cf,pgsql:${config_directory}/c.cf");

        Assert.Equal(["mysql:/etc/postfix/a.cf", "mysql:$config_directory/b.cf", "pgsql:${config_directory}/c.cf"], found.Select(r => r.Text));
        Assert.True(PostfixTableReferences.Names(found[0], "/etc/postfix", "a.cf"));
        Assert.True(PostfixTableReferences.Names(found[1], "/etc/postfix", "b.cf"));
    }

    [Fact]
    public void The_transaction_stages_maps_and_looks_them_up_on_the_staged_path_before_anything_is_swapped_in()
    {
        Resource[] resources = [AliasMaps, Alias, Domains];
        var observed = Observe(resources, [.. Host, "E\t0\t"]);
        var changes = ProviderHarness.Plan(_provider, resources, observed);
        var steps = ProviderHarness.Group(_provider, resources, observed, changes)!.Steps;
        var carrier = steps[0].Script;

        Assert.Contains("one transaction for 3 postfix change(s)", changes[0].Note);
        Assert.Contains($"rc_pf_map 'mysql_virtual_alias_maps.cf' '{Convert.ToBase64String(Encoding.UTF8.GetBytes(Alias.Render()))}'", carrier);
        Assert.DoesNotContain(Password, carrier);
        Assert.Contains("postmap -q \"$2\" \"$3:$rc_pf_stage/$1\"", carrier);
        Assert.Contains("rc_pf_lookup 'mysql_virtual_alias_maps.cf' 'postmaster@example.test' 'mysql'", carrier);
        Assert.Contains("[ \"$rc_pf_out\" = 'alice@example.test' ]", carrier);
        // Without a probe, a key that cannot exist must be looked up without a word from postmap.
        Assert.Contains("rc_pf_lookup 'mysql_virtual_domains_maps.cf' 'reconciler-probe@invalid' 'mysql'", carrier);
        Assert.Contains("[ \"$rc_pf_rc\" -le 1 ]", carrier);
        // The check view's main.cf names the staged map where the real one names the live path.
        Assert.Contains("rc_pf_point 'mysql_virtual_alias_maps.cf'", carrier);

        var lookup = carrier.IndexOf("rc_pf_lookup 'mysql_virtual_alias_maps.cf'", StringComparison.Ordinal);
        var mapIn = carrier.IndexOf("mv -f -- \"$rc_pf_stage\"/'mysql_virtual_alias_maps.cf' \"$rc_pf_conf\"/'mysql_virtual_alias_maps.cf'", StringComparison.Ordinal);
        var mainIn = carrier.IndexOf("rc_commit \"$rc_pf_stage/main.cf\" \"$rc_pf_conf/main.cf\"", StringComparison.Ordinal);
        Assert.True(lookup > 0 && lookup < mapIn && mapIn < mainIn, "lookups, then maps, then main.cf");
        Assert.Contains("if [ -e \"$rc_pf_stage\"/'mysql_virtual_domains_maps.cf'.before ]; then mv -f -- \"$rc_pf_stage\"/'mysql_virtual_domains_maps.cf'.before \"$rc_pf_conf\"/'mysql_virtual_domains_maps.cf'; else rm -f -- \"$rc_pf_conf\"/'mysql_virtual_domains_maps.cf'; fi", carrier);
        Assert.Contains("restored", carrier);

        var other = steps[1].Script;
        Assert.Equal("applied in postfix_main[virtual_alias_maps]'s transaction", changes[1].Note);
        Assert.DoesNotContain("rc_pf_map", other);
        Assert.Contains(Sha256Text.Hex(Alias.Render()), other);
        Assert.DoesNotContain(Password, other);
    }

    [Fact]
    public void Settings_parse_like_postfix_reads_them()
    {
        var settings = PostfixProvider.ParseSettings(["hosts = a", "query = SELECT x", "   FROM y", "user=u", "hosts = b"]);

        Assert.Equal([new("query", "SELECT x FROM y"), new("user", "u"), new("hosts", "b")], settings);
    }

    /// <summary>
    /// The real read script under /bin/sh with a stand-in postconf: what comes back for a map holding a password is
    /// its digest, its settings without the password and the password's digest — never the password.
    /// </summary>
    [Fact]
    public void The_read_script_never_sends_the_password_back_and_a_rendered_file_reads_as_no_change()
    {
        var map = StandInConfig(Alias.Render());

        var (facts, answers) = ReadWithStandInPostconf();
        var observed = (PostfixMapObserved)Assert.Single(_provider.ParseFacts([Alias], answers));

        Assert.DoesNotContain(Password, facts);
        Assert.Equal("root", observed.Group);
        Assert.Equal(ChangeAction.NoOp, _provider.Diff(Alias, observed).Action);

        // The password changed on the host, and a continuation line carries part of it: still only its digest.
        File.WriteAllText(map, Alias.Render().Replace($"password = {Password}", "password = other-secret-1\n  continued-part-2", StringComparison.Ordinal));
        (facts, answers) = ReadWithStandInPostconf();
        var change = PlanOne(answers);

        Assert.DoesNotContain("other-secret-1", facts);
        Assert.DoesNotContain("continued-part-2", facts);
        Assert.Equal([AttributeChange.Secret(new("password"), before: true, after: true), AttributeChange.Of(new("reload"), null, "postfix")], change.Attributes);
    }

    [Fact]
    public void A_map_no_local_user_can_read_is_compared_by_digest_and_none_of_its_lines_leave_the_host()
    {
        var hostile = Alias.Render().Replace("dbname = postfix", "dbname = live-db-name-canary", StringComparison.Ordinal)
                      + "[smtp.example.com]:587 relayuser:relay-secret-canary\n";
        var map = StandInConfig(hostile);

        var (facts, answers) = ReadWithStandInPostconf();
        var change = PlanOne(answers);

        Assert.DoesNotContain("canary", facts);
        Assert.Equal(
            [
                new AttributeChange(new("dbname"), new PlanValue.Withheld($"{map} is not world-readable (640 root:root)", "value differs"), new PlanValue.Text("postfix")),
                new AttributeChange(
                    new("other settings"), new PlanValue.Withheld($"{map} is not world-readable (640 root:root)", "1 line(s) the spec does not declare"), new PlanValue.Absent()),
                AttributeChange.Of(new("reload"), null, "postfix"),
            ],
            change.Attributes);
    }

    /// <summary>
    /// A postfix config directory holding the map with <paramref name="text"/> (0640 root:root, so no local user could
    /// read it) and a stand-in postconf that names the directory; returns the map's path.
    /// </summary>
    private string StandInConfig(string text)
    {
        var bin = Directory.CreateDirectory(_dir["bin"]).FullName;
        var conf = Directory.CreateDirectory(_dir["conf"]).FullName;
        File.WriteAllText(Path.Combine(conf, "main.cf"), "");
        File.WriteAllText(Path.Combine(bin, "postconf"), $"""
            #!/bin/sh
            case "$*" in
              "-h config_directory") echo '{conf}' ;;
              "-h mail_owner") echo root ;;
              -m) printf 'btree\nmysql\n' ;;
            esac
            """);
        var map = Path.Combine(conf, Alias.Name);
        File.WriteAllText(map, text);
        LocalShell.Run($"chmod 0755 '{bin}/postconf'; chmod 0640 '{map}'; chown root:root '{map}'");
        return map;
    }

    /// <summary>The real read's output under /bin/sh (every query's, as one text), with the stand-in postconf first on PATH.</summary>
    private (string Text, FactAnswers Answers) ReadWithStandInPostconf()
    {
        var prefix = $"PATH='{_dir["bin"]}':$PATH\n";
        var text = LocalShell.Run(prefix + ProviderHarness.ReadScript(_provider, [Alias])).Stdout;
        return (text, ProviderHarness.RunQueries(_provider, [Alias], prefix));
    }

    private ResourceChange PlanOne(FactAnswers answers) =>
        Assert.Single(ProviderHarness.Plan(_provider, [Alias], _provider.ParseFacts([Alias], answers)));
}
