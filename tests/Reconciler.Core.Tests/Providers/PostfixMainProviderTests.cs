using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Postfix;

namespace Reconciler.Core.Tests.Providers;

/// <summary>
/// Fact lines as PostfixMainProvider's read script prints them: <c>I</c> when postfix is installed, <c>N\tLINE</c>
/// for each <c>postconf -n</c> line, then per parameter <c>E\tI\tVALUE</c> (<c>postconf -h</c>) or <c>U\tI\tWARNING</c>.
/// </summary>
public class PostfixMainProviderTests
{
    private readonly IResourceProvider _provider = new PostfixMainProvider();
    private static readonly SourceLocation At = new("specs/mail/postfix.yaml", 1, 1);
    private static readonly PostfixMainResource Size = new("message_size_limit", "20480000", At);
    private static readonly PostfixMainResource Banner = new("smtpd_banner", "$myhostname  ESMTP", At);

    private IReadOnlyList<ResourceChange> Plan(IReadOnlyList<Resource> resources, params string[] lines)
    {
        var observed = _provider.ParseFacts(resources, lines);
        return resources.Select((r, i) => _provider.Diff(r, observed[i])).ToList();
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
        Assert.Equal([new AttributeChange("message_size_limit", "10240000 (default)", "20480000"), new AttributeChange("reload", null, "postfix")], changes[0].Attributes);
        Assert.Equal(ChangeAction.Update, changes[1].Action);
        Assert.Equal([new AttributeChange("smtpd_banner", "$myhostname ESMTP $mail_name", "$myhostname ESMTP")], changes[1].Attributes);
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
        var observed = _provider.ParseFacts([Size, Banner], ["I", "E\t0\t1", "E\t1\tx"]);
        var carrier = _provider.ApplyScript(Size, observed[0], _provider.Diff(Size, observed[0]));
        var other = _provider.ApplyScript(Banner, observed[1], _provider.Diff(Banner, observed[1]));

        Assert.Contains("postconf -c \"$rc_pf_stage\" -e 'message_size_limit = 20480000' 'smtpd_banner = $myhostname ESMTP'", carrier);
        Assert.DoesNotContain("postconf -c", other);
    }

    [Fact]
    public void Missing_postfix_and_unknown_parameters_are_blocked_with_the_reason()
    {
        Assert.Equal("postfix is not installed (no postconf, or no main.cf in its config_directory)", Plan([Size])[0].Note);

        var unknown = Plan([Size], "I", "U\t0\tpostconf: warning: message_size_limit: unknown parameter")[0];
        Assert.Equal(ChangeAction.Blocked, unknown.Action);
        Assert.Contains("unknown parameter", unknown.Note);
    }
}
