using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>postfix_main and postfix_master against a real postfix (reconciler/host-mail:1): apply, drift, and the shared transaction's rollback.</summary>
public sealed class PostfixTests
{
    private const string MailImage = "reconciler/host-mail:1";

    private static string Spec(string extra = "") => $"""
        kind: resources
        target: {"{"} host: mail1 {"}"}
        postfix:
          main:
            smtpd_banner: $myhostname ESMTP unknown
            message_size_limit: 20480000
            mailbox_size_limit: 51200000
            virtual_mailbox_base: /home/popmail
        {extra}
        """;

    [Fact]
    public async Task Apply_from_blank_converges_and_a_hand_edit_is_drift()
    {
        await using var host = await DebianHost.StartAsync(image: MailImage);
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("mail1", host, DebianHost.RootUser, "web")]);
        specs.Write("mail/postfix.yaml", Spec());

        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("10240000 (default) → 20480000", plan.Stdout);

        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal("20480000", (await host.ExecAsync("postconf -h message_size_limit")).Stdout.Trim());
        Assert.Equal("$myhostname ESMTP unknown", (await host.ExecAsync("postconf -h smtpd_banner")).Stdout.Trim());
        Assert.Contains("ESMTP unknown", (await host.ExecAsync(BannerProbe)).Stdout);

        var again = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("mail1: no changes", again.Stdout);

        await host.ExecAsync("postconf -e message_size_limit=1");
        var drift = await CliRun.ExecAsync("drift", "--specs", specs.Directory);
        Assert.True(drift.ExitCode == 2, drift.ToString());
        Assert.Contains("postfix_main[message_size_limit]", drift.Stdout);
    }

    [Theory]
    // postfix check rejects it before anything is swapped in, with postfix's own message.
    [InlineData("message_size_limit: abc", "validation (postfix check)", "bad numerical configuration")]
    // postfix check accepts it, but smtpd exits on start: only the probe finds it, and the old main.cf comes back.
    [InlineData("smtpd_tls_security_level: bogus", "SMTP probe", "no SMTP banner")]
    public async Task A_change_postfix_rejects_is_rolled_back_and_postfix_still_answers(string broken, string step, string message)
    {
        await using var host = await DebianHost.StartAsync(image: MailImage);
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("mail1", host, DebianHost.RootUser, "web")]);
        specs.Write("mail/postfix.yaml", Spec().Replace("message_size_limit: 20480000", broken.StartsWith("message_size_limit", StringComparison.Ordinal) ? broken : "message_size_limit: 20480000\n    " + broken));
        var before = (await host.ExecAsync("sha256sum /etc/postfix/main.cf")).Stdout;

        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);

        Assert.True(apply.ExitCode == 1, apply.ToString());
        Assert.Contains(step, apply.Stdout + apply.Stderr);
        Assert.Contains(message, apply.Stdout + apply.Stderr);
        Assert.Equal(before, (await host.ExecAsync("sha256sum /etc/postfix/main.cf")).Stdout);
        Assert.Contains("220 ", (await host.ExecAsync(BannerProbe)).Stdout);
    }

    private static string MasterSpec(string command) => $"""
        kind: resources
        target: {"{"} host: mail1 {"}"}
        postfix:
          main:
            message_size_limit: 20480000
          master:
            - service: submission
              type: inet
              private: n
              unpriv: "-"
              chroot: y
              wakeup: "-"
              maxproc: "-"
              command: {command}
              args:
                - -o syslog_name=postfix/submission
                - -o smtpd_recipient_restrictions=permit_mynetworks,reject
        """;

    [Fact]
    public async Task A_master_cf_service_applies_with_main_cf_in_one_transaction_and_converges()
    {
        await using var host = await DebianHost.StartAsync(image: MailImage);
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("mail1", host, DebianHost.RootUser, "web")]);
        specs.Write("mail/postfix.yaml", MasterSpec("smtpd"));
        var pickup = (await host.ExecAsync("postconf -M pickup/unix")).Stdout;

        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("postfix_master[submission/inet]", plan.Stdout);

        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal(
            "submission inet n - y - - smtpd -o syslog_name=postfix/submission -o smtpd_recipient_restrictions=permit_mynetworks,reject",
            string.Join(' ', (await host.ExecAsync("postconf -M submission/inet")).Stdout.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("20480000", (await host.ExecAsync("postconf -h message_size_limit")).Stdout.Trim());
        Assert.Equal(pickup, (await host.ExecAsync("postconf -M pickup/unix")).Stdout);
        Assert.Contains("220 ", (await host.ExecAsync(BannerProbe.Replace("127.0.0.1:25", "127.0.0.1:587"))).Stdout);

        var again = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("mail1: no changes", again.Stdout);
    }

    [Fact]
    public async Task A_master_cf_service_with_an_unknown_command_is_rejected_and_both_files_stay_byte_identical()
    {
        await using var host = await DebianHost.StartAsync(image: MailImage);
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("mail1", host, DebianHost.RootUser, "web")]);
        specs.Write("mail/postfix.yaml", MasterSpec("nosuchdaemon"));
        const string Sums = "sha256sum /etc/postfix/main.cf /etc/postfix/master.cf";
        var before = (await host.ExecAsync(Sums)).Stdout;

        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);

        Assert.True(apply.ExitCode == 1, apply.ToString());
        Assert.Contains("validation (master.cf)", apply.Stdout + apply.Stderr);
        Assert.Contains("nosuchdaemon", apply.Stdout + apply.Stderr);
        Assert.Equal(before, (await host.ExecAsync(Sums)).Stdout);
        Assert.Contains("220 ", (await host.ExecAsync(BannerProbe)).Stdout);
    }

    private const string BannerProbe =
        "perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(PeerAddr => \"127.0.0.1:25\", Timeout => 5) or die; alarm 10; print scalar <$s>'";
}
