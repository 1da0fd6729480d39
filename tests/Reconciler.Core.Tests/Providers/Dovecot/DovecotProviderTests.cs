using System.Text;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Dovecot;
using Reconciler.Core.Tests.Support;
using Reconciler.Core.Secrets;

namespace Reconciler.Core.Tests.Providers.Dovecot;

/// <summary>
/// Fact lines as DovecotProvider's read script prints them: <c>I</c> when dovecot is installed, then per file
/// <c>S\tI\tTYPE\tOWNER\tUID\tGROUP\tGID\tMODE</c>, <c>H\tI\tSHA256</c>, <c>R\tI\tRESTART-KEYS-SHA256</c> and (not sensitive)
/// <c>C\tI\tBASE64</c>; <c>N\tI</c> when absent (<c>D\tI</c> too when its directory is), <c>L\tI\tTARGET</c> for a link (never followed).
/// </summary>
public class DovecotProviderTests
{
    private readonly IResourceProvider _provider = new DovecotProvider();
    private static readonly SourceLocation At = new("specs/mail/30-dovecot.yaml", 4, 7);

    private const string LocalConf = "protocols = imap\nmmap_disable = yes\n";
    private const string Password = "pr0be-Secret \"quoted\" pass";

    private static readonly DovecotFileResource Local = new("/etc/dovecot/local.conf", LocalConf, "root", "root", "0644", false, At);
    private static readonly DovecotFileResource Sql = new("/etc/dovecot/dovecot-sql.conf.ext", "driver = mysql\nconnect = password=db-s3cret\n", "root", "root", "0600", true, At);
    private static readonly DovecotProbeResource Probe = new("alice@example.test", Password, At);

    private static string[] Present(int index, string content, string mode = "644", bool withText = true)
    {
        var lines = new List<string>
        {
            $"S\t{index}\tregular file\troot\t0\troot\t0\t{mode}",
            $"H\t{index}\t{Sha256Text.Hex(content)}",
            $"R\t{index}\t{DovecotRestartKeys.Digest(content)}",
        };
        if (withText)
        {
            lines.Add($"T\t{index}\t{Convert.ToBase64String(Encoding.UTF8.GetBytes(content))}");
        }

        return [.. lines];
    }

    /// <summary>The kind's own records (I, R, D) answered in its section, the file facts in theirs; planned as the engine plans a host.</summary>
    private (IReadOnlyList<object> Observed, IReadOnlyList<ResourceChange> Changes) Plan(IReadOnlyList<Resource> resources, params string[] lines)
    {
        var own = lines.Where(l => l.Split('\t')[0] is "I" or "R" or "D").ToList();
        var files = lines.Where(l => l.Split('\t')[0] is not ("I" or "R" or "D")).ToList();
        var observed = _provider.ParseFacts(resources, files.Count == 0
            ? ProviderHarness.Answers(_provider, resources, (_provider.Kind, own))
            : ProviderHarness.Answers(_provider, resources, (_provider.Kind, own), (FileFacts.Unit, files)));
        return (observed, ProviderHarness.Plan(_provider, resources, observed));
    }

    /// <summary>The script of the host group's step <paramref name="step"/> (0: the carrier's transaction).</summary>
    private string Step(IReadOnlyList<Resource> resources, (IReadOnlyList<object> Observed, IReadOnlyList<ResourceChange> Changes) plan, int step = 0) =>
        ProviderHarness.Group(_provider, resources, plan.Observed, plan.Changes)!.Steps[step].Script;

    [Fact]
    public void Facts_parse_into_owner_mode_digest_and_text_and_a_matching_file_is_a_no_op()
    {
        var (observed, changes) = Plan([Local], ["I", .. Present(0, LocalConf)]);

        var file = Assert.IsType<DovecotFileObserved>(observed[0]).File;
        Assert.Equal((true, "root", "0", "0644", LocalConf), (file.Exists, file.Owner, file.OwnerId, file.Mode, file.Live?.Text));
        Assert.Equal(ChangeAction.NoOp, changes[0].Action);
    }

    [Fact]
    public void A_changed_file_shows_its_text_as_before_so_the_plan_diffs_lines_and_carries_a_reload()
    {
        var (_, changes) = Plan([Local], ["I", .. Present(0, "protocols = imap\nmmap_disable = no\n", mode: "640")]);

        Assert.Equal(ChangeAction.Update, changes[0].Action);
        Assert.Equal(
            [
                AttributeChange.Of(new("content"), "protocols = imap\nmmap_disable = no\n", LocalConf),
                AttributeChange.Of(new("mode"), "0640", "0644"),
                AttributeChange.Of(new("reload"), null, "dovecot"),
            ],
            changes[0].Attributes);
        Assert.Equal(
            "one transaction for 1 dovecot change(s): staged copy checked with doveconf, swapped in, dovecot reloaded, IMAP probed; rolled back on failure",
            changes[0].Note);
    }

    [Fact]
    public void A_missing_file_is_created_with_the_default_owner_group_and_mode()
    {
        var (_, changes) = Plan([Local], "I", "N\t0");

        Assert.Equal(ChangeAction.Create, changes[0].Action);
        Assert.Equal(
            [
                AttributeChange.Of(new("content"), null, LocalConf),
                AttributeChange.Of(new("owner"), null, "root"),
                AttributeChange.Of(new("group"), null, "root"),
                AttributeChange.Of(new("mode"), null, "0644"),
                AttributeChange.Of(new("restart"), null, "dovecot"),
            ],
            changes[0].Attributes);
        Assert.Contains("dovecot restarted", changes[0].Note);
    }

    [Fact]
    public void Missing_dovecot_links_and_missing_directories_are_blocked_with_the_reason()
    {
        var (_, none) = Plan([Local, Probe]);
        Assert.All(none, c => Assert.Equal(ChangeAction.Blocked, c.Action));
        Assert.All(none, c => Assert.Equal("dovecot is not installed (no doveconf, or no /etc/dovecot/dovecot.conf)", c.Note));

        var (_, link) = Plan([Local], "I", "L\t0\t/tmp/elsewhere");
        Assert.Equal(ChangeAction.Blocked, link[0].Action);
        Assert.Contains("is a symbolic link on this host", link[0].Note);

        var (_, directory) = Plan([Local], "I", "S\t0\tdirectory\troot\t0\troot\t0\t755");
        Assert.Equal(ChangeAction.Blocked, directory[0].Action);
        Assert.Contains("is a directory on this host", directory[0].Note);

        var nested = Local with { Path = "/etc/dovecot/extra/x.conf" };
        var (_, parent) = Plan([nested], "I", "N\t0", "D\t0");
        Assert.Equal("directory /etc/dovecot/extra does not exist on this host", parent[0].Note);
    }

    [Fact]
    public void All_changed_files_are_one_transaction_carried_by_the_first_with_the_probe_and_the_others_confirm()
    {
        Resource[] resources = [Local, Sql, Probe];
        var plan = Plan(resources, ["I", .. Present(0, "protocols = imap\n"), .. Present(1, "driver = mysql\n", mode: "640", withText: false)]);
        var changes = plan.Changes;

        Assert.Contains("one transaction for 2 dovecot change(s)", changes[0].Note);
        Assert.Contains("IMAP probed with a login as alice@example.test", changes[0].Note);
        Assert.Equal("applied in dovecot_file[/etc/dovecot/local.conf]'s transaction", changes[1].Note);
        Assert.DoesNotContain(changes[1].Attributes, a => a.Name.Text is "reload" or "restart");
        Assert.Equal(ChangeAction.NoOp, changes[2].Action);

        var carrier = Step(resources, plan);
        var other = Step(resources, plan, 1);
        Assert.Contains("rc_dc_stage_file 'local.conf' 'root:root' 0644 <<'RC_DC_EOF'", carrier);
        Assert.Contains("rc_dc_stage_file 'dovecot-sql.conf.ext' 'root:root' 0600 <<'RC_DC_EOF'", carrier);
        Assert.Contains("doveconf -n -c \"$rc_dc_stage/conf/dovecot.conf\"", carrier);
        Assert.Contains("rc_dc_put_back 'dovecot-sql.conf.ext'", carrier);
        Assert.Contains("rc_dc_action=reload", carrier);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(carrier, "if ! rc_dc_msg=\\$\\(rc_dc_control \"\\$rc_dc_action\"\\); then"));
        Assert.DoesNotContain("rc_dc_stage", other);
        Assert.Contains("did not complete", other);
        Assert.Contains(Sha256Text.Hex(Sql.Content!), other);
    }

    [Fact]
    public void A_sensitive_file_is_never_read_back_and_its_change_is_sensitive()
    {
        var read = ProviderHarness.ReadScript(_provider, [Local, Sql]);
        // The host sends a file's text only when asked (the last number: 2 text, 1 digest) and the disclosure policy allows it.
        Assert.Contains("rc_file_facts 0 0 0 2 \"$p\"", read);
        Assert.Contains("rc_file_facts 1 0 0 1 \"$p\"", read);

        var (_, changes) = Plan([Sql], ["I", .. Present(0, "driver = mysql\n", mode: "600", withText: false)]);
        var content = Assert.Single(changes[0].Attributes, a => a.Name.Text == "content");
        Assert.True(content.Sensitive);
    }

    [Fact]
    public void The_probe_password_reaches_the_host_only_as_a_hex_heredoc_line_never_in_a_command_or_the_fingerprint()
    {
        Resource[] resources = [Local, Probe];
        var plan = Plan(resources, "I", "N\t0");
        var observed = plan.Observed;
        var script = Step(resources, plan);

        Assert.DoesNotContain(Password, script);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Password)), script);
        var hex = Convert.ToHexStringLower(Encoding.UTF8.GetBytes(Password));
        var lines = script.Split('\n');
        var at = Assert.Single(Enumerable.Range(0, lines.Length), i => lines[i].Contains(hex, StringComparison.Ordinal));
        // The line is a heredoc body line (no command, no quoting) inside the probe's heredoc, which feeds perl's stdin.
        Assert.Equal($"{Convert.ToHexStringLower("alice@example.test"u8)} {hex}", lines[at]);
        var opened = Array.FindLastIndex(lines, at, l => l.Contains("<<'RC_DC_PROBES'", StringComparison.Ordinal));
        var closed = Array.FindIndex(lines, at, l => l == "RC_DC_PROBES");
        Assert.True(opened >= 0 && closed > at, "the password line is not inside the probe heredoc");
        Assert.EndsWith("' <<'RC_DC_PROBES' || return 1", lines[opened]);
        Assert.Contains("      perl -e '", script);

        Assert.DoesNotContain(Password, LiveFingerprintJson(observed[0]));
        Assert.DoesNotContain(Password, Probe.ToString());
    }

    [Fact]
    public void Sensitive_content_is_carried_as_base64_inside_a_heredoc_not_on_a_command_line()
    {
        Resource[] resources = [Sql];
        var script = Step(resources, Plan(resources, "I", "N\t0"));

        Assert.DoesNotContain("db-s3cret", script);
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Sql.Content!));
        var lines = script.Split('\n');
        var at = Array.IndexOf(lines, base64);
        Assert.True(at > 0, "the content is not a heredoc line of its own");
        Assert.EndsWith("<<'RC_DC_EOF'", lines[at - 1]);
        Assert.Equal("RC_DC_EOF", lines[at + 1]);
    }

    [Fact]
    public void A_changed_listener_plans_a_restart_and_other_settings_a_reload()
    {
        const string Before = "protocols = imap\nservice auth {\n  unix_listener auth-userdb {\n  }\n}\nmmap_disable = no\n";
        var settingOnly = Local with { Content = Before.Replace("mmap_disable = no", "mmap_disable = yes # seed") };
        var listener = Local with { Content = Before.Replace("unix_listener auth-userdb", "unix_listener /var/spool/postfix/private/auth") };

        Assert.Contains(Plan([settingOnly], ["I", .. Present(0, Before)]).Changes[0].Attributes, a => a.Name.Text == "reload");
        Assert.Contains(Plan([listener], ["I", .. Present(0, Before)]).Changes[0].Attributes, a => a.Name.Text == "restart");
        Assert.Equal(ChangeEffects.ReloadsService, Plan([settingOnly], ["I", .. Present(0, Before)]).Changes[0].Effects);
        Assert.Equal(ChangeEffects.RestartsService, Plan([listener], ["I", .. Present(0, Before)]).Changes[0].Effects);
        var script = Step([listener], Plan([listener], ["I", .. Present(0, Before)]));
        Assert.Contains("rc_dc_action=restart", script);
    }

    [Fact]
    public void Registry_finds_the_one_dovecot_provider_for_files_and_probes()
    {
        var registry = new ProviderRegistry([_provider]);

        Assert.Same(_provider, registry.For(Local));
        Assert.Same(_provider, registry.For(Probe));
    }

    [Fact]
    public void Sensitive_dovecot_file_content_is_among_the_values_the_redactor_masks()
    {
        var host = new HostSpec("mail1", "192.0.2.25", 22, "root", "/k", "ssh-ed25519 AAAA", [], new Dictionary<string, object?>());
        var state = new DesiredState([new HostDesiredState(host, [Local, Sql])]);

        Assert.Equal([Sql.Content!], SecretRedactor.SensitiveValuesOf(state));
    }

    private static string LiveFingerprintJson(object observed) => CanonicalJson.Serialize(observed);
}
