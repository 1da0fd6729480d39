using System.Security.Cryptography;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>
/// The repository's own mail specs (specs/mail, the seed's Postfix + Dovecot + MariaDB virtual-mailbox stack) applied
/// to a blank mail host (reconciler/host-mail:1: Debian's postfix, dovecot and mariadb, stock configuration), proven
/// with real mail: a MailKit client authenticates on 587 over STARTTLS, sends to a mailbox and to an alias, and reads
/// both back over IMAP with the mailbox's password. The host's certificate is Debian's self-signed snakeoil, so the
/// client accepts any certificate: that is the only thing this test does not check.
/// </summary>
public sealed class MailStackTests
{
    private const string MailImage = "reconciler/host-mail:1";

    /// <summary>Fresh secrets per run, passed the way CI passes them: no test can pass on a value written down.</summary>
    private sealed class Secrets(string tsig)
    {
        private readonly List<string> _earlier = [];

        /// <summary>The TSIG key the zone's primary takes DKIM record updates with (its fixture makes a new one per start).</summary>
        public string Tsig => tsig;

        public string Database { get; private set; } = NewPassword();
        public string Alice { get; private set; } = NewPassword();
        public string Bob { get; private set; } = NewPassword();

        /// <summary>New values for every secret; the old ones stay on the list no output may contain.</summary>
        public void Rotate()
        {
            _earlier.AddRange([Database, Alice, Bob]);
            (Database, Alice, Bob) = (NewPassword(), NewPassword(), NewPassword());
        }

        public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
        {
            ["RECONCILER_SECRET_MAIL_DB_PASSWORD"] = Database,
            ["RECONCILER_SECRET_ALICE_PASSWORD"] = Alice,
            ["RECONCILER_SECRET_BOB_PASSWORD"] = Bob,
            ["RECONCILER_SECRET_DKIM_TSIG"] = Tsig,
        };

        public IEnumerable<string> All => [Database, Alice, Bob, Tsig, .. _earlier];

        // Quotes, a dollar and a backslash: a password that breaks any unquoted shell, SQL or config on its way.
        private static string NewPassword() => "p'w$\"\\" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
    }

    private sealed class Run(SpecsWorkspace specs, Secrets secrets)
    {
        private readonly List<CliRun> _runs = [];

        public async Task<CliRun> Cli(params string[] command)
        {
            var run = await CliRun.ExecWithEnvironmentAsync(secrets.Environment, [.. command, "--specs", specs.Directory]);
            _runs.Add(run);
            return run;
        }

        /// <summary>No output of any run holds a database or mailbox password.</summary>
        public void AssertNoSecretPrinted()
        {
            foreach (var run in _runs)
            {
                foreach (var secret in secrets.All)
                {
                    Assert.DoesNotContain(secret, run.Stdout + run.Stderr, StringComparison.Ordinal);
                }
            }
        }
    }

    /// <summary>
    /// The mail host and the zone's two nameservers; the sample's DKIM records go to this zone's primary (the one line
    /// of specs/mail that names an address outside the host, rewritten like the inventory's addresses).
    /// </summary>
    private static async Task<(DebianHost Host, SpecsWorkspace Specs, Secrets Secrets, Run Run, DnsZonePair Dns)> StartAsync()
    {
        var dns = await DnsZonePair.StartAsync();
        var host = await DebianHost.StartAsync(image: MailImage);
        var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("mail1", host, DebianHost.RootUser, "mail")], mariaDbManage: ["postfix.*", "user:postfix@localhost"]);
        specs.CopyFromSample("mail");
        specs.CopyFromSample("templates");
        var dkim = Path.Combine(specs.Directory, "mail", "35-dkim.yaml");
        // A TTL of 2 s instead of 300: the gate still waits it out, and the test does not wait five minutes.
        File.WriteAllText(dkim, File.ReadAllText(dkim).Replace("server: 192.0.2.53", $"server: {dns.PrimaryAddress}").Replace("ttl: 300", "ttl: 2"));
        var secrets = new Secrets(dns.TsigSecret);
        return (host, specs, secrets, new Run(specs, secrets), dns);
    }

    [Fact]
    public async Task The_seed_stack_applied_to_a_blank_host_delivers_real_mail_and_drift_is_seen()
    {
        var (host, specs, secrets, run, dns) = await StartAsync();
        await using var _ = host;
        await using var ___ = dns;
        using var __ = specs;

        // The whole stack (files, database, rows, dovecot, postfix) costs one connection and one fact script to plan,
        // and one read, one batched apply and one verifying read to apply: never a command per resource or per row.
        var plan = await run.Cli("plan");
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Equal((1, 1), (plan.Traffic.Connections, plan.Traffic.Commands));
        var apply = await run.Cli("apply", "--yes");
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal((1, 3), (apply.Traffic.Connections, apply.Traffic.Commands));
        // DKIM moves one safe step per run: the key was made; now it is published, seen on both nameservers, and a TTL
        // later it signs. Nothing else is left to change.
        var dkim = await run.Cli("plan");
        Assert.True(dkim.ExitCode == 2, dkim.ToString());
        Assert.Contains("dkim[example.test]", dkim.Stdout);
        Assert.Contains("Plan: 0 to create, 1 to update", dkim.Stdout);
        for (var i = 0; i < 8 && !(await host.ExecAsync("cat /etc/opendkim/SigningTable")).Stdout.Contains("default._domainkey.example.test"); i++)
        {
            Assert.True((await run.Cli("apply", "--yes")).ExitCode == 0);
            await Task.Delay(1500);
        }

        var again = await run.Cli("plan");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("mail1: no changes", again.Stdout);

        var address = host.Container.IpAddress;
        var subject = await SendAsync(address, "alice@example.test", secrets.Alice, ["bob@example.test", "postmaster@example.test"]);

        // Delivered by postfix's virtual agent into the maildirs the mailbox table names, as uid 80000. Delivery is
        // asynchronous (the queue manager hands the mail on): the fetch waits for it, then the maildir is checked.
        Assert.Equal(subject, await FetchSubjectAsync(address, "bob@example.test", secrets.Bob, subject));
        Assert.Equal("80000", (await host.ExecAsync("stat -c %u /home/popmail/example.test/bob/new")).Stdout.Trim());
        Assert.Equal(subject, await FetchSubjectAsync(address, "alice@example.test", secrets.Alice, subject));   // via the alias
        // Signed by opendkim with the seed's selector (DkimTests verifies signatures with two independent verifiers).
        var delivered = (await host.ExecAsync($"grep -l '{subject}' /home/popmail/example.test/bob/new/* | head -n1 | xargs cat")).Stdout;
        Assert.Matches(@"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/simple; d=example\.test;\s+s=default;", delivered);

        // The submission port checks the password against the database through Dovecot's auth socket.
        await Assert.ThrowsAsync<AuthenticationException>(() => SendAsync(address, "alice@example.test", secrets.Bob, ["bob@example.test"]));

        // A row deleted by hand and a main.cf parameter edited by hand are both drift.
        await host.ExecAsync("mysql -e \"DELETE FROM postfix.alias WHERE address = 'abuse@example.test'\" && postconf -e message_size_limit=1");
        var drift = await run.Cli("drift");
        Assert.True(drift.ExitCode == 2, drift.ToString());
        Assert.Contains("mariadb_rows[postfix.alias]", drift.Stdout);
        Assert.Contains("postfix_main[message_size_limit]", drift.Stdout);

        // Rotating every password is one apply: the database user, the rows' hashes, Dovecot's SQL file and the three
        // maps change together, in dependency order, each service probing with the new values before keeping them.
        var oldAlice = secrets.Alice;
        secrets.Rotate();
        var rotate = await run.Cli("apply", "--yes");
        Assert.True(rotate.ExitCode == 0, rotate.ToString());
        foreach (var changed in new[] { "mariadb_user[postfix@localhost]", "mariadb_rows[postfix.mailbox]", "dovecot_file[/etc/dovecot/dovecot-sql.conf.ext]", "postfix_map[mysql_virtual_alias_maps.cf]" })
        {
            Assert.Contains("update " + changed, rotate.Stdout);
        }

        var rotated = await SendAsync(address, "alice@example.test", secrets.Alice, ["bob@example.test"]);
        Assert.Equal(rotated, await FetchSubjectAsync(address, "bob@example.test", secrets.Bob, rotated));
        await Assert.ThrowsAsync<AuthenticationException>(() => SendAsync(address, "alice@example.test", oldAlice, ["bob@example.test"]));
        run.AssertNoSecretPrinted();
    }

    [Fact]
    public async Task Broken_changes_are_rejected_by_the_transaction_and_mail_still_flows()
    {
        var (host, specs, secrets, run, dns) = await StartAsync();
        await using var _ = host;
        await using var ___ = dns;
        using var __ = specs;
        var apply = await run.Cli("apply", "--yes");
        Assert.True(apply.ExitCode == 0, apply.ToString());
        const string Files = "/etc/postfix/main.cf /etc/postfix/master.cf /etc/postfix/mysql_virtual_*.cf /etc/dovecot/local.conf /etc/dovecot/dovecot-sql.conf.ext";
        var before = (await host.ExecAsync($"sha256sum {Files}")).Stdout;

        // A map pointing at a missing table: the staged map's postmap probe fails against the real database.
        var postfix = Path.Combine(specs.Directory, "mail", "30-postfix.yaml");
        var good = File.ReadAllText(postfix);
        File.WriteAllText(postfix, good.Replace("table: alias\n", "table: aliasx\n", StringComparison.Ordinal));
        var missingTable = await run.Cli("apply", "--yes");
        Assert.True(missingTable.ExitCode != 0, missingTable.ToString());
        Assert.Contains("postmap", missingTable.Stdout + missingTable.Stderr);
        Assert.Contains("aliasx' doesn't exist", missingTable.Stdout + missingTable.Stderr);

        // A main.cf parameter with a typo in its value: postfix check rejects the staged copy.
        File.WriteAllText(postfix, good.Replace("message_size_limit: 10240000", "message_size_limit: 10240000k", StringComparison.Ordinal));
        var typo = await run.Cli("apply", "--yes");
        Assert.True(typo.ExitCode != 0, typo.ToString());
        Assert.Contains("validation (postfix check)", typo.Stdout + typo.Stderr);

        // Dovecot: a query against a column that does not exist passes doveconf but fails the login probe.
        var sqlTemplate = Path.Combine(specs.Directory, "templates", "dovecot-sql.conf.ext.sbn");
        File.WriteAllText(postfix, good);
        File.WriteAllText(sqlTemplate, File.ReadAllText(sqlTemplate).Replace("SELECT username AS user, password", "SELECT username AS user, passwd", StringComparison.Ordinal));
        var badQuery = await run.Cli("apply", "--yes");
        Assert.True(badQuery.ExitCode != 0, badQuery.ToString());
        Assert.Contains("dovecot transaction", badQuery.Stdout + badQuery.Stderr);

        // Every file is as it was, and mail still flows end to end.
        Assert.Equal(before, (await host.ExecAsync($"sha256sum {Files}")).Stdout);
        var address = host.Container.IpAddress;
        var subject = await SendAsync(address, "bob@example.test", secrets.Bob, ["alice@example.test"]);
        Assert.Equal(subject, await FetchSubjectAsync(address, "alice@example.test", secrets.Alice, subject));
        run.AssertNoSecretPrinted();
    }

    private static async Task<string> SendAsync(string address, string user, string password, IReadOnlyList<string> recipients)
    {
        var subject = "reconciler " + Guid.NewGuid().ToString("N");
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(user));
        message.To.AddRange(recipients.Select(MailboxAddress.Parse));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "Sent through the submission port by the mail stack test." };

        using var client = new SmtpClient { Timeout = 20_000, ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync(address, 587, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(user, password);
        await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
        return subject;
    }

    /// <summary>Waits (up to 30 s) for the message to arrive and returns its subject as the IMAP server has it.</summary>
    private static async Task<string?> FetchSubjectAsync(string address, string user, string password, string subject)
    {
        using var client = new ImapClient { Timeout = 20_000, ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync(address, 143, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(user, password);
        for (var attempt = 0; attempt < 30; attempt++)
        {
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            var found = await client.Inbox.SearchAsync(SearchQuery.SubjectContains(subject));
            if (found.Count > 0)
            {
                var message = await client.Inbox.GetMessageAsync(found[0]);
                await client.DisconnectAsync(quit: true);
                return message.Subject;
            }

            await client.Inbox.CloseAsync();
            await Task.Delay(1000);
        }

        return null;
    }
}
