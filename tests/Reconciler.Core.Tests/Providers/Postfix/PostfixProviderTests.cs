using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Postfix;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Providers.Postfix;

/// <summary>
/// Fact lines as PostfixProvider's read script prints them: <c>I</c> when postfix is installed, <c>N\tLINE</c>
/// for each <c>postconf -n</c> line, <c>M\tLINE</c> for each <c>postconf -M</c> line, then per parameter <c>E\tI\tVALUE</c> (<c>postconf -h</c>) or <c>U\tI\tWARNING</c>.
/// </summary>
public class PostfixProviderTests
{
    private readonly IResourceProvider _provider = new PostfixProvider();
    private static readonly SourceLocation At = new("specs/mail/postfix.yaml", 1, 1);
    private static readonly PostfixMainResource Size = new("message_size_limit", "20480000", At);
    private static readonly PostfixMainResource Banner = new("smtpd_banner", "$myhostname  ESMTP", At);

    /// <summary>Planned as the engine plans a host: each diff, then the kind's group (one transaction).</summary>
    private IReadOnlyList<ResourceChange> Plan(IReadOnlyList<Resource> resources, params string[] lines) =>
        ProviderHarness.Plan(_provider, resources, ProviderHarness.Parse(_provider, resources, lines));

    /// <summary>The scripts of the host group's steps: the carrier's transaction first, then each other change's confirmation.</summary>
    private IReadOnlyList<string> Steps(IReadOnlyList<Resource> resources, params string[] lines)
    {
        var observed = ProviderHarness.Parse(_provider, resources, lines);
        return ProviderHarness.Group(_provider, resources, observed, ProviderHarness.Plan(_provider, resources, observed))!.Steps.Select(s => s.Script).ToList();
    }

    [Fact]
    public void Postconf_n_lines_parse_into_values_including_empty_ones()
    {
        var values = PostconfOutput.ParseExplicit(["relayhost =", "smtpd_banner = $myhostname ESMTP $mail_name (Debian/GNU)", "garbage"]);

        Assert.Equal("", values["relayhost"]);
        Assert.Equal("$myhostname ESMTP $mail_name (Debian/GNU)", values["smtpd_banner"]);
        Assert.Equal(2, values.Count);
    }

    [Fact]
    public void Unset_parameter_shows_its_default_and_the_first_change_carries_the_reload()
    {
        var changes = Plan([Size, Banner], "I", "N\tsmtpd_banner = $myhostname ESMTP $mail_name", "E\t0\t10240000", "E\t1\t$myhostname ESMTP $mail_name");

        Assert.Equal(ChangeAction.Create, changes[0].Action);
        Assert.Equal([AttributeChange.Of(new("message_size_limit"), "10240000 (default)", "20480000"), AttributeChange.Of(new("reload"), null, "postfix")], changes[0].Attributes);
        Assert.Equal(ChangeAction.Update, changes[1].Action);
        Assert.Equal([AttributeChange.Of(new("smtpd_banner"), "$myhostname ESMTP $mail_name", "$myhostname ESMTP")], changes[1].Attributes);
        Assert.Equal("applied in postfix_main[message_size_limit]'s transaction", changes[1].Note);
    }

    [Fact]
    public void Matching_value_is_a_no_op_whitespace_normalized_as_postconf_does()
    {
        var changes = Plan([Banner], "I", "N\tsmtpd_banner = $myhostname ESMTP", "E\t0\t$myhostname ESMTP");

        Assert.Equal(ChangeAction.NoOp, changes[0].Action);
    }

    [Fact]
    public void Only_the_carrier_applies_the_transaction_with_every_change()
    {
        var steps = Steps([Size, Banner], "I", "E\t0\t1", "E\t1\tx");
        var (carrier, other) = (steps[0], steps[1]);

        Assert.Contains("postconf -c \"$rc_pf_stage\" -e 'message_size_limit = 20480000' 'smtpd_banner = $myhostname ESMTP'", carrier);
        Assert.DoesNotContain("postconf -c", other);
    }

    [Fact]
    public void Commands_under_script_1_read_dev_null_not_the_rest_of_the_apply_script_on_stdin()
    {
        var carrier = Steps([Size], "I", "E\t0\t1")[0];

        Assert.Contains("script -qec \"$1\" /dev/null 2>&1 </dev/null", carrier);
    }

    [Fact]
    public void Missing_postfix_and_unknown_parameters_are_blocked_with_the_reason()
    {
        Assert.Equal("postfix is not installed (no postconf, or no main.cf in its config_directory)", Plan([Size])[0].Note);

        var unknown = Plan([Size], "I", "U\t0\tpostconf: warning: message_size_limit: unknown parameter")[0];
        Assert.Equal(ChangeAction.Blocked, unknown.Action);
        Assert.Contains("unknown parameter", unknown.Note);
    }

    private static readonly PostfixMasterResource Submission = new(
        "submission", "inet", "n", "-", "y", "-", "-", "smtpd", ["-o syslog_name=postfix/submission", "-o smtpd_recipient_restrictions=permit_mynetworks,reject"], At);

    [Fact]
    public void Postconf_M_lines_parse_by_service_and_type_whitespace_normalized()
    {
        var entries = PostconfOutput.ParseMaster([
            "smtp       inet  n       -       y       -       -       smtpd",
            "127.0.0.1:10025 inet  n       -       n       -       -       smtpd -o content_filter= -o smtpd_authorized_xforward_hosts=127.0.0.0/8",
            "pickup     unix  n       -       y       60      1       pickup",
            "too short",
        ]);

        Assert.Equal(3, entries.Count);
        Assert.Equal("smtp inet n - y - - smtpd", entries["smtp/inet"]);
        Assert.Equal("127.0.0.1:10025 inet n - n - - smtpd -o content_filter= -o smtpd_authorized_xforward_hosts=127.0.0.0/8", entries["127.0.0.1:10025/inet"]);
        Assert.Equal("pickup unix n - y 60 1 pickup", entries["pickup/unix"]);
    }

    [Fact]
    public void Missing_service_is_created_an_equal_one_is_a_no_op_and_a_changed_one_lists_its_columns()
    {
        Assert.Equal("postfix_master[submission/inet]", Submission.Address.ToString());

        var create = Plan([Submission], "I", "M	smtp      inet  n       -       y       -       -       smtpd")[0];
        Assert.Equal(ChangeAction.Create, create.Action);
        Assert.Equal(
            [AttributeChange.Of(new("entry"), null, "submission inet n - y - - smtpd -o syslog_name=postfix/submission -o smtpd_recipient_restrictions=permit_mynetworks,reject"), AttributeChange.Of(new("reload"), null, "postfix")],
            create.Attributes);

        var same = Plan([Submission], "I", "M	submission inet  n  -  y  -  -  smtpd -o syslog_name=postfix/submission -o smtpd_recipient_restrictions=permit_mynetworks,reject")[0];
        Assert.Equal(ChangeAction.NoOp, same.Action);

        var changed = Plan([Submission], "I", "M	submission inet  n  -  n  -  -  smtpd -o syslog_name=postfix/submission")[0];
        Assert.Equal(ChangeAction.Update, changed.Action);
        Assert.Equal(
            [
                AttributeChange.Of(new("chroot"), "n", "y"),
                AttributeChange.Of(new("args"), "-o syslog_name=postfix/submission", "-o syslog_name=postfix/submission -o smtpd_recipient_restrictions=permit_mynetworks,reject"),
                AttributeChange.Of(new("reload"), null, "postfix"),
            ],
            changed.Attributes);
    }

    [Fact]
    public void Main_cf_and_master_cf_changes_share_one_transaction_carried_by_the_first()
    {
        Resource[] resources = [Size, Submission];
        var changes = Plan(resources, "I", "E	0	1", "M	smtp inet n - y - - smtpd");
        var steps = Steps(resources, "I", "E	0	1", "M	smtp inet n - y - - smtpd");
        var (carrier, other) = (steps[0], steps[1]);

        Assert.Contains("one transaction for 2 postfix change(s)", changes[0].Note);
        Assert.Equal("applied in postfix_main[message_size_limit]'s transaction", changes[1].Note);
        Assert.DoesNotContain(changes[1].Attributes, a => a.Name.Text == "reload");
        Assert.Contains("postconf -c \"$rc_pf_stage\" -e 'message_size_limit = 20480000'", carrier);
        Assert.Contains("postconf -c \"$rc_pf_stage\" -M -e 'submission/inet = submission inet n - y - - smtpd -o syslog_name=postfix/submission", carrier);
        Assert.Contains("rc_commit \"$rc_pf_stage/master.cf.before\" \"$rc_pf_conf/master.cf\"", carrier);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(carrier, "rc_pf_run \"postfix reload\"; then"));
        Assert.DoesNotContain("postconf -c", other);
        Assert.Contains("postconf -M 'submission/inet'", other);
    }

    [Fact]
    public void Registry_finds_the_one_postfix_provider_for_both_kinds()
    {
        var registry = new ProviderRegistry([_provider]);

        Assert.Same(_provider, registry.For(Size));
        Assert.Same(_provider, registry.For(Submission));
    }
}
