using System.Globalization;
using Reconciler.Core.Engine;
using Reconciler.Core.Monitoring;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;
using Reconciler.Specs;
using Reconciler.Ssh;

namespace Reconciler.Integration.Tests;

/// <summary>
/// Issue 20 items 1 and 2: the repository's Mailgraph sample (specs/mail/37-mailgraph.yaml) applied to a mail host with
/// the real postfix, rsyslog writing /var/log/mail.log and the real mailgraph daemon tailing it; real mail and fixture log
/// lines in both of Debian 12's date formats; the RRDs exported by a monitoring read (what drift runs) and checked bucket
/// by bucket. And hosts whose export is garbage or enormous: their mail_graphs error line, every other host and kind read.
/// </summary>
public sealed class MailGraphTests
{
    private const string MailImage = "reconciler/host-mail:1";

    /// <summary>The day archive's rows: 8 of Mailgraph's minutes (its RRDs: step 60, 8 points a row).</summary>
    private const int DayStep = 480;

    /// <summary>
    /// File::Tail, which Mailgraph reads the log with, sleeps between polls: 10 s at first, then the time between lines
    /// seen, and ten times longer after ten empty polls, at most 60 s (its maxinterval; Mailgraph sets none). A line
    /// appended is therefore counted within about a minute; this is that minute and a margin.
    /// </summary>
    private static readonly TimeSpan TailWait = TimeSpan.FromSeconds(100);

    /// <summary>
    /// The first real minute of the day row a time falls in. Mailgraph writes minute [M, M+60) at timestamp M, which RRD
    /// files in the row ending after it, so rows hold real time [k·480 + 60, (k+1)·480 + 60): MailPoint.Start's rule.
    /// </summary>
    private static long RowStart(long epoch) => (long)Math.Floor((epoch - 60) / (double)DayStep) * DayStep + 60;

    /// <summary>A classic syslog date ("Dec  7 10:41:17"): the day of the month padded to two places with a space.</summary>
    private static string Classic(long epoch) =>
        DateTimeOffset.FromUnixTimeSeconds(epoch).UtcDateTime is var t ? $"{t.ToString("MMM", CultureInfo.InvariantCulture)} {t.Day,2} {t:HH:mm:ss}" : "";

    private static string Rfc3339(long epoch, int micros) =>
        DateTimeOffset.FromUnixTimeSeconds(epoch).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + $".{micros:D6}+00:00";

    /// <summary>One log line per event Mailgraph counts, as Postfix and amavis write them (fixtures: no traffic leaves).</summary>
    private static string Event(string series, int n) => series switch
    {
        "sent" => $"postfix/smtp[{2000 + n}]: 4A{n:X4}1: to=<u{n}@example.net>, relay=mx.example.net[192.0.2.25]:25, delay=0.2, delays=0.1/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok)",
        "received" => $"postfix/smtpd[{2000 + n}]: 4A{n:X4}2: client=mx.example.net[192.0.2.7]",
        "bounced" => $"postfix/local[{2000 + n}]: 4A{n:X4}3: to=<nobody{n}@example.test>, relay=local, delay=0.1, delays=0/0/0/0.1, dsn=5.1.1, status=bounced (unknown user: \"nobody{n}\")",
        "rejected" => $"postfix/smtpd[{2000 + n}]: NOQUEUE: reject: RCPT from unknown[192.0.2.9]: 554 5.7.1 <x{n}@example.org>: Relay access denied; from=<a@example.org> to=<x{n}@example.org> proto=ESMTP helo=<x>",
        "spam" => $"amavis[{2000 + n}]: ({2000 + n:D5}-01) Blocked SPAM {{DiscardedInbound}}, [192.0.2.7]:4321 <s{n}@example.org> -> <alice@example.test>, Hits: 9.9, 120 ms",
        "virus" => $"amavis[{2000 + n}]: ({2000 + n:D5}-01) Blocked INFECTED (Eicar-Signature) {{DiscardedInbound}}, [192.0.2.7]:4321 <v{n}@example.org> -> <alice@example.test>, 80 ms",
        _ => throw new ArgumentOutOfRangeException(nameof(series)),
    };

    private static Dictionary<string, double> Counts(MailCounts c) =>
        MailCounts.SeriesNames.Zip(c.Values).Where(p => p.Second is not null).ToDictionary(p => p.First, p => p.Second!.Value);

    /// <summary>A drift run's read (monitor: true), or a pull request's (false), of the workspace's hosts, in-process.</summary>
    private static async Task<Plan> ReadAsync(SpecsWorkspace specs, bool monitor = true)
    {
        var loaded = new SpecLoader().Load(specs.Directory);
        Assert.True(loaded.State is not null, string.Join("\n", loaded.Diagnostics));
        var engine = new Reconciliation(new SshTransport(TimeSpan.FromSeconds(15)), ResourceKinds.Registry(), new ReconcileOptions());
        return await engine.PlanAsync(loaded.State, null, CancellationToken.None, monitor);
    }

    private static async Task Exec(DebianHost host, string command)
    {
        var result = await host.ExecAsync(command);
        Assert.True(result.ExitCode == 0, $"{command}\n{result.Stdout}{result.Stderr}");
    }

    [Fact]
    public async Task The_sample_specs_run_mailgraph_on_real_mail_and_fixture_lines_in_both_date_formats_and_drift_exports_exact_minute_buckets()
    {
        // Given a mail host (real postfix) and the sample's Mailgraph spec, applied: rsyslog and mailgraph start
        await using var host = await DebianHost.StartAsync(image: MailImage);
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("mail1", host, DebianHost.RootUser, "mail")]);
        specs.Write("mail/37-mailgraph.yaml", File.ReadAllText(Path.Combine(Reconciler.Tests.Shared.TestRepository.SampleSpecs, "mail", "37-mailgraph.yaml")));
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        var again = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(again.ExitCode == 0, again.ToString());
        await Exec(host, "/etc/init.d/rsyslog status && /etc/init.d/mailgraph status");
        // The settings are honoured: mail log as declared, localhost counted
        var args = (await host.ExecAsync("ps -eo args | grep '^/usr/bin/perl -w /usr/sbin/mailgraph'")).Stdout;
        Assert.Contains("--logfile /var/log/mail.log", args);
        Assert.DoesNotContain("ignore-localhost", args);

        // Mailgraph has counted nothing yet, so it has no RRD: a plain error line, and a pull request's plan reads nothing
        var before = (await ReadAsync(specs)).Hosts.Single();
        Assert.Null(before.Error);
        Assert.Null(before.Monitoring!.Mail);
        Assert.Contains(before.Monitoring.Errors, e => e.StartsWith("mail_graphs: /var/lib/mailgraph/mailgraph.rrd does not exist: Mailgraph has not written yet", StringComparison.Ordinal));
        Assert.Null((await ReadAsync(specs, monitor: false)).Hosts.Single().Monitoring);

        // The real mails' row: at least 90 s of it left, so all of them land in it
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (RowStart(now) + DayStep - now < 90)
        {
            await Task.Delay(TimeSpan.FromSeconds(RowStart(now) + DayStep - now + 1));
            now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        }

        var live = RowStart(now);
        var expected = new Dictionary<long, Dictionary<string, double>>();
        void Expect(long at, string series)
        {
            var row = expected.TryGetValue(RowStart(at), out var known) ? known : expected[RowStart(at)] = [];
            row[series] = row.GetValueOrDefault(series) + 1;
        }

        // Fixture lines, oldest first (Mailgraph drops a line older than one it has counted). Its very first event makes
        // the RRDs, starting at that minute, and RRD refuses an update at its start time: that event is never counted.
        var priming = live - (7 * DayStep) + 120;
        var lines = new List<string> { $"{Classic(priming)} mail1 {Event("rejected", 1)}" };
        // Classic syslog dates: the last second before a row, its first, a minute inside, its last second
        var classic = live - (5 * DayStep);
        foreach (var (at, series, n) in new[]
        {
            (classic - 1, "spam", 2), (classic, "sent", 3), (classic, "sent", 4), (classic, "rejected", 5),
            (classic + 185, "bounced", 6), (classic + DayStep - 1, "received", 7),
        })
        {
            lines.Add($"{Classic(at)} mail1 {Event(series, n)}");
            Expect(at, series);
        }

        // RFC 3339 dates (rsyslog's own on Debian 12), with their microseconds
        var rfc = live - (3 * DayStep);
        foreach (var (at, micros, series, n) in new[]
        {
            (rfc, 250000, "received", 8), (rfc + 61, 500000, "sent", 9), (rfc + 61, 500001, "sent", 10),
            (rfc + 300, 999999, "rejected", 11), (rfc + DayStep - 1, 500000, "virus", 12),
        })
        {
            lines.Add($"{Rfc3339(at, micros)} mail1 {Event(series, n)}");
            Expect(at, series);
        }

        await Exec(host, $"printf '%s\\n' {string.Join(' ', lines.Select(l => "'" + l.Replace("'", "'\\''") + "'"))} >> /var/log/mail.log");

        // When real mail passes through postfix, logged by rsyslog: two messages and one over SMTP delivered by smtp to a
        // sink on loopback (sent), that SMTP one received, one to an unknown local user bounced by local, one rejected at RCPT
        await Exec(host, "postconf -e 'transport_maps = inline:{sink.test=smtp:[127.0.0.1]:2525}' && postfix reload >/dev/null 2>&1 " +
                         "&& setsid -f smtp-sink -u postfix 127.0.0.1:2525 16 </dev/null >/dev/null 2>&1 && sleep 1 && pgrep -x smtp-sink >/dev/null");
        await Exec(host, "printf 'Subject: one\\n\\nhi\\n' | sendmail -f root@vm u1@sink.test && printf 'Subject: two\\n\\nhi\\n' | sendmail -f root@vm u2@sink.test " +
                         "&& printf 'Subject: lost\\n\\nhi\\n' | sendmail -f root@vm nosuchuser@localhost");
        await Exec(host, """
            python3 - <<'EOF'
            import smtplib
            s = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.example")
            s.mail("someone@example.org")
            assert s.rcpt("nosuchuser2@localhost")[0] == 550
            assert s.rcpt("u3@sink.test")[0] == 250
            assert s.data(b"Subject: three\r\n\r\nhi\r\n")[0] == 250
            s.quit()
            EOF
            """);
        var drained = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (!(await host.ExecAsync("postqueue -p")).Stdout.Contains("Mail queue is empty", StringComparison.Ordinal))
        {
            Assert.True(DateTimeOffset.UtcNow < drained, "postfix did not deliver the test mails within 30 s:\n" + (await host.ExecAsync("postqueue -p; tail -20 /var/log/mail.log")).Stdout);
            await Task.Delay(500);
        }

        await Task.Delay(TimeSpan.FromSeconds(1)); // rsyslog writes what postfix logged
        Assert.True(RowStart(DateTimeOffset.UtcNow.ToUnixTimeSeconds()) == live, "the test mails took so long they crossed into the next row");
        expected[live] = new() { ["sent"] = 3, ["received"] = 1, ["bounced"] = 1, ["rejected"] = 1 };

        // A later line makes Mailgraph write: it writes a minute when a line of a later one comes, and RRD writes a row when
        // its last minute is written, so this line is dated at the start of the next row (in the future by up to 8 minutes)
        await Exec(host, $"printf '%s\\n' '{Rfc3339(live + DayStep + 5, 0)} mail1 {Event("rejected", 13)}' >> /var/log/mail.log");

        // Then drift's read exports, within the tail interval, exactly those counts in those rows and zero in every other
        var deadline = DateTimeOffset.UtcNow + TailWait;
        MailTraffic? mail = null;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var read = (await ReadAsync(specs)).Hosts.Single();
            Assert.Null(read.Error);
            mail = read.Monitoring!.Mail;
            if (mail?.LastUpdate?.ToUnixTimeSeconds() >= live + DayStep - 60) break;
            await Task.Delay(TimeSpan.FromSeconds(3));
        }

        Assert.True(mail?.LastUpdate?.ToUnixTimeSeconds() == live + DayStep - 60,
            $"mailgraph did not write the row of the test mails within {TailWait.TotalSeconds} s (last update {mail?.LastUpdate})");
        Assert.Equal(["day", "week", "month", "year"], mail!.Periods.Select(p => p.Name));
        Assert.Equal([480, 3360, 16800, 201600], mail.Periods.Select(p => p.StepSeconds));
        var day = mail.Periods[0];
        Assert.Equal(180, day.Points.Count);
        Assert.Equal(live, day.Points[^1].Start.ToUnixTimeSeconds());
        var firstKnown = RowStart(priming) + DayStep;
        foreach (var point in day.Points)
        {
            var start = point.Start.ToUnixTimeSeconds();
            Assert.Equal(60, start % DayStep);
            if (start < RowStart(priming))
            {
                Assert.All(point.Counts.Values, v => Assert.Null(v)); // before the RRDs were made
            }
            else if (start < firstKnown)
            {
                Assert.All(point.Counts.Values, v => Assert.True(v is null or 0, $"{point}: the priming event is never counted"));
            }
            else
            {
                var want = expected.GetValueOrDefault(start, []);
                Assert.Equal(MailCounts.SeriesNames.ToDictionary(s => s, s => want.GetValueOrDefault(s)), Counts(point.Counts));
            }
        }

        // The last update ends a day row, so the day has no row in progress; a coarser archive whose row it falls inside
        // ends with that row, partial, which the sums below check like any other (it holds every minute written so far)
        Assert.All(mail.Periods, p => Assert.Equal((live + DayStep - 60) % p.StepSeconds != 0, p.Points[^1].Partial));

        // The coarser archives, at their own resolution: a row whose minutes Mailgraph all wrote holds exactly what its day
        // rows hold; one that began before the RRDs (RRD averages the minutes it knows, at least half of them) at most twice
        foreach (var period in mail.Periods.Skip(1))
        {
            foreach (var point in period.Points)
            {
                var start = point.Start.ToUnixTimeSeconds();
                Assert.Equal(60, start % period.StepSeconds);
                var inside = expected.Where(e => e.Key >= start && e.Key < start + period.StepSeconds).Select(e => e.Value).ToList();
                var counts = Counts(point.Counts);
                foreach (var series in MailCounts.SeriesNames)
                {
                    var want = inside.Sum(r => r.GetValueOrDefault(series));
                    if (start - 60 >= priming)
                    {
                        Assert.Equal(want, counts.GetValueOrDefault(series));
                    }
                    else
                    {
                        Assert.True(counts.GetValueOrDefault(series) <= (2 * want) + 0.01, $"{period.Name} {point.Start} {series}");
                    }
                }
            }
        }
    }

    [Fact]
    public async Task The_minutes_written_since_the_last_complete_row_are_each_periods_last_partial_point_with_their_exact_counts()
    {
        // Given RRDs made as Mailgraph makes them (its init_rrd: step 60, ABSOLUTE counters, AVERAGE archives of 8, 56, 280
        // and 3360 minutes, MAX ones beside them) by the mail image's Perl RRDs, and known counts written at whole minutes:
        // minute k (1 … 29) at start + 60·k, the last 5 minutes into a day row and 21 into a week row
        await using var host = await DebianHost.StartAsync(image: MailImage);
        const long rowEnd = 1_796_640_000; // a day row's end (a multiple of 480), not a week row's
        const long start = rowEnd - (3 * DayStep); // a day row's end too: every day row written is complete
        const int minutes = 29;
        static (int Sent, int Received, int Bounced, int Rejected, int Spam, int Virus) At(int k) => (k % 3, 1, k % 4 == 0 ? 1 : 0, k == 20 ? 5 : 0, 2, k % 2);
        var updates = string.Join(" ", Enumerable.Range(1, minutes).Select(k =>
            $"{start + (60 * k)}:{At(k).Sent}:{At(k).Received}:{At(k).Bounced}:{At(k).Rejected}/{At(k).Virus}:{At(k).Spam}"));
        await Exec(host, $$"""
            mkdir -p /srv/rrd && perl -MRRDs -e '
              my @rra = map { ("RRA:AVERAGE:0.5:$_:198", "RRA:MAX:0.5:$_:198") } 8, 56, 280, 3360;
              RRDs::create("/srv/rrd/mailgraph.rrd", "--start", {{start}}, "--step", 60, (map { "DS:$_:ABSOLUTE:120:0:U" } qw(sent recv bounced rejected)), @rra);
              RRDs::create("/srv/rrd/mailgraph_virus.rrd", "--start", {{start}}, "--step", 60, (map { "DS:$_:ABSOLUTE:120:0:U" } qw(virus spam)), @rra);
              die RRDs::error() if RRDs::error();
              for (@ARGV) { my ($mail, $virus) = split m{/}; my ($t) = split /:/, $mail;
                RRDs::update("/srv/rrd/mailgraph.rrd", $mail); die RRDs::error() if RRDs::error();
                RRDs::update("/srv/rrd/mailgraph_virus.rrd", "$t:$virus"); die RRDs::error() if RRDs::error() }' {{updates}}
            """);
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("mail1", host, DebianHost.RootUser, "mail")]);
        specs.Write("mail/graphs.yaml", "kind: resources\ntarget: { host: mail1 }\nmail_graphs:\n  - { name: mailgraph, rrd_dir: /srv/rrd }\n");

        // When drift reads them
        var read = (await ReadAsync(specs)).Hosts.Single();
        Assert.Null(read.Error);
        Assert.Empty(read.Monitoring!.Errors);
        var mail = read.Monitoring.Mail!;

        // Then each period ends with its row in progress: from its row's first real minute, holding exactly the minutes
        // written in it so far, after the complete rows
        var last = start + (60 * minutes);
        Assert.Equal(last, mail.LastUpdate!.Value.ToUnixTimeSeconds());
        Assert.Equal(300, last - rowEnd);
        foreach (var period in mail.Periods)
        {
            var step = period.StepSeconds;
            var partial = period.Points[^1];
            Assert.True(partial.Partial, period.Name);
            Assert.All(period.Points.SkipLast(1), p => Assert.False(p.Partial));
            Assert.Equal(last - (last % step) + 60, partial.Start.ToUnixTimeSeconds());
            Assert.Equal(partial.Start.ToUnixTimeSeconds() - step, period.Points[^2].Start.ToUnixTimeSeconds());
            // Minute k is written at start + 60·k: those after the last complete row's end are the row in progress
            var inProgress = Enumerable.Range(1, minutes).Where(k => start + (60 * k) > last - (last % step)).Select(At).ToList();
            Assert.Equal(
                new MailCounts(inProgress.Sum(c => c.Sent), inProgress.Sum(c => c.Received), inProgress.Sum(c => c.Bounced),
                               inProgress.Sum(c => c.Rejected), inProgress.Sum(c => c.Spam), inProgress.Sum(c => c.Virus)),
                partial.Counts);
        }

        Assert.Equal(5, mail.Periods[0].Points[^1].Counts.Received);
        Assert.Equal(21, mail.Periods[1].Points[^1].Counts.Received);
        // The day's complete rows and its row in progress hold every message written, each once
        var day = mail.Periods[0].Points;
        Assert.Equal(Enumerable.Range(1, minutes).Sum(k => At(k).Sent), day.Sum(p => p.Counts.Sent ?? 0));
        Assert.Equal(Enumerable.Range(1, minutes).Sum(k => At(k).Spam), day.Sum(p => p.Counts.Spam ?? 0));
    }

    [Fact]
    public async Task A_garbage_RRD_and_an_enormous_export_are_each_their_hosts_mail_graphs_error_and_every_other_host_and_kind_is_read()
    {
        // Given a mail host whose real mailgraph read a fixture log into its RRDs (--cat: read once, no daemon), the same
        // machine as a second host whose RRD is random bytes, and a host whose Perl RRDs module prints 4 MiB
        await using var mail = await DebianHost.StartAsync(image: MailImage);
        await using var plain = await DebianHost.StartAsync();
        var start = RowStart(DateTimeOffset.UtcNow.ToUnixTimeSeconds()) - (6 * DayStep);
        var log = string.Join("\n", [
            $"{Classic(start)} m {Event("rejected", 1)}", // makes the RRDs, never counted
            $"{Classic(start + DayStep)} m {Event("sent", 2)}", $"{Rfc3339(start + DayStep + 30, 1)} m {Event("sent", 3)}",
            $"{Rfc3339(start + (2 * DayStep), 2)} m {Event("received", 4)}", $"{Rfc3339(start + (4 * DayStep), 3)} m {Event("rejected", 5)}"]);
        await Exec(mail, $"printf '%s\\n' '{log.Replace("'", "'\\''")}' > /tmp/fixture.log && /usr/sbin/mailgraph --cat -l /tmp/fixture.log --daemon-rrd=/var/lib/mailgraph");
        await Exec(mail, "mkdir -p /srv/garbage && head -c 65536 /dev/urandom > /srv/garbage/mailgraph.rrd && cp /srv/garbage/mailgraph.rrd /srv/garbage/mailgraph_virus.rrd");
        await Exec(plain, """
            mkdir -p /etc/perl /var/lib/mailgraph && : > /var/lib/mailgraph/mailgraph.rrd && cat > /etc/perl/RRDs.pm <<'EOF'
            package RRDs;
            print "V\t0\tday\t" . ("9" x 4194304) . "\n";
            1;
            EOF
            """);
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("good", mail, DebianHost.RootUser, "mail"), ("garbage", mail, DebianHost.RootUser, "mail"), ("enormous", plain, DebianHost.RootUser, "mail")]);
        specs.Write("mail/all.yaml", "kind: resources\ntarget: { group: mail }\nfiles:\n  - { path: /etc/rc-mail-graphs-marker, content: \"x\\n\" }\n");
        specs.Write("mail/good.yaml", "kind: resources\ntarget: { host: good }\nmail_graphs:\n  - { name: mailgraph }\n");
        specs.Write("mail/garbage.yaml",
            "kind: resources\ntarget: { host: garbage }\nfiles:\n  - { path: /etc/rc-garbage-marker, content: \"x\\n\" }\nmail_graphs:\n  - { name: mailgraph, rrd_dir: /srv/garbage }\n");
        specs.Write("mail/enormous.yaml", "kind: resources\ntarget: { host: enormous }\nmail_graphs:\n  - { name: mailgraph, rrd_dir: /var/lib/mailgraph }\n");

        // When drift reads them
        var plan = await ReadAsync(specs);
        var hosts = plan.Hosts.ToDictionary(h => h.Host);

        // Then every host is planned, its other kinds read (the marker files are to be created), and only the two bad
        // exports are errors, each its host's one mail_graphs line
        Assert.All(plan.Hosts, h =>
        {
            Assert.Null(h.Error);
            Assert.Contains(h.Changes, c => c.Address.ToString() == "file[/etc/rc-mail-graphs-marker]" && c.Action == ChangeAction.Create);
        });
        Assert.Contains(hosts["garbage"].Changes, c => c.Address.ToString() == "file[/etc/rc-garbage-marker]" && c.Action == ChangeAction.Create);
        Assert.Empty(hosts["good"].Monitoring!.Errors);
        var good = hosts["good"].Monitoring!.Mail!;
        var day = good.Periods.Single(p => p.Name == "day").Points.ToDictionary(p => p.Start.ToUnixTimeSeconds(), p => Counts(p.Counts));
        Assert.Equal(2, day[start + DayStep]["sent"]);
        Assert.Equal(1, day[start + (2 * DayStep)]["received"]);
        Assert.Equal(0, day[start + (3 * DayStep)]["rejected"]);
        // The last line's minute is never written by --cat (no later line comes): the export ends before it
        Assert.Equal(start + (4 * DayStep) - 60, good.LastUpdate!.Value.ToUnixTimeSeconds());

        var garbage = Assert.Single(hosts["garbage"].Monitoring!.Errors);
        Assert.StartsWith("mail_graphs: ", garbage, StringComparison.Ordinal);
        Assert.Contains("/srv/garbage/mailgraph.rrd", garbage);
        Assert.Null(hosts["garbage"].Monitoring!.Mail);
        var enormous = Assert.Single(hosts["enormous"].Monitoring!.Errors);
        Assert.StartsWith("mail_graphs: ", enormous, StringComparison.Ordinal);
        Assert.Contains("was cut on the host at 256 KiB", enormous);
        Assert.Null(hosts["enormous"].Monitoring!.Mail);
    }
}
