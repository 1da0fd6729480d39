using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Reconciler.Core.Dns;
using Reconciler.Dns.Tests.Support;

namespace Reconciler.Dns.Tests;

/// <summary>TxtAsync against a nameserver that is honest, then one that is not: every lie ends as a value, in time.</summary>
public sealed class TxtLookupTests
{
    private const string Name = "sel._domainkey.example.test";

    /// <summary>For the tests whose server answers: waits long enough that a busy machine never turns an answer into a timeout.</summary>
    private static readonly AuthoritativeDnsOptions Patient = new()
    {
        QueryTimeout = TimeSpan.FromSeconds(5),
        Tries = 2,
        CallDeadline = TimeSpan.FromSeconds(20),
    };

    /// <summary>For the tests whose server makes the adapter wait: the timeouts are what is tested, so they are short.</summary>
    private static readonly AuthoritativeDnsOptions Fast = new()
    {
        QueryTimeout = TimeSpan.FromMilliseconds(300),
        Tries = 2,
        CallDeadline = TimeSpan.FromSeconds(3),
    };

    /// <summary>Above the slowest a failing lookup may take with <see cref="Fast"/> (two UDP tries and one TCP try), with slack for a busy machine.</summary>
    private static readonly TimeSpan WithinDeadline = TimeSpan.FromSeconds(2.5);

    [Fact]
    public async Task An_authoritative_answer_gives_the_records_with_their_strings_and_ttl()
    {
        await using var server = HostileNameserver.Answering(q => new DnsMessageBuilder(q).Txt(Name, 3600, "v=DKIM1; k=rsa; ", "p=MIIB").Build());

        var lookup = await new AuthoritativeDns(Patient).TxtAsync(server.AsNameserver(), Name, default);

        var record = Assert.Single(Assert.IsType<TxtLookup.Found>(lookup).Records);
        Assert.Equal(["v=DKIM1; k=rsa; ", "p=MIIB"], record.Strings);
        Assert.Equal("v=DKIM1; k=rsa; p=MIIB", record.Joined);
        Assert.Equal(3600, record.Ttl);
    }

    [Fact]
    public async Task The_query_asks_no_recursion_of_the_server()
    {
        await using var server = HostileNameserver.Answering(q => new DnsMessageBuilder(q).Txt(Name, 60, "x").Build());

        await new AuthoritativeDns(Patient).TxtAsync(server.AsNameserver(), Name, default);

        var query = Assert.Single(server.UdpQueries);
        Assert.False(DnsMessageBuilder.RecursionDesired(query));
        Assert.Equal(Name, DnsMessageBuilder.QuestionName(query));
        Assert.Equal(16, DnsMessageBuilder.QuestionType(query));
    }

    [Fact]
    public async Task The_name_matches_whatever_case_the_server_echoes_and_answers_in()
    {
        await using var server = HostileNameserver.Answering(q => new DnsMessageBuilder(q).Txt(Name.ToUpperInvariant(), 60, "x").Build());

        var lookup = await new AuthoritativeDns(Patient).TxtAsync(server.AsNameserver(), Name, default);

        Assert.IsType<TxtLookup.Found>(lookup);
    }

    [Fact]
    public async Task Nxdomain_with_the_aa_bit_is_missing()
    {
        await using var server = HostileNameserver.Answering(q => new DnsMessageBuilder(q) { ResponseCode = 3 }.Build());

        Assert.IsType<TxtLookup.Missing>(await new AuthoritativeDns(Patient).TxtAsync(server.AsNameserver(), Name, default));
    }

    [Fact]
    public async Task An_empty_authoritative_answer_is_missing()
    {
        await using var server = HostileNameserver.Answering(q => new DnsMessageBuilder(q).Build());

        Assert.IsType<TxtLookup.Missing>(await new AuthoritativeDns(Patient).TxtAsync(server.AsNameserver(), Name, default));
    }

    [Fact]
    public async Task An_answer_without_the_aa_bit_is_not_believed()
    {
        await using var server = HostileNameserver.Answering(q => new DnsMessageBuilder(q) { Authoritative = false }.Txt(Name, 60, "v=DKIM1; p=").Build());

        var reason = await UnreachableAsync(server);

        Assert.Contains("not authoritative for sel._domainkey.example.test", reason);
    }

    [Fact]
    public async Task Nxdomain_without_the_aa_bit_is_not_believed()
    {
        await using var server = HostileNameserver.Answering(q => new DnsMessageBuilder(q) { Authoritative = false, ResponseCode = 3 }.Build());

        Assert.Contains("not authoritative", await UnreachableAsync(server));
    }

    [Fact]
    public async Task An_answer_only_for_another_name_counts_for_nothing()
    {
        await using var server = HostileNameserver.Answering(q => new DnsMessageBuilder(q).Txt("other._domainkey.example.test", 60, "v=DKIM1; p=EVIL").Build());

        Assert.Contains("answered only for other names or classes than sel._domainkey.example.test", await UnreachableAsync(server));
    }

    [Fact]
    public async Task Records_for_other_names_or_classes_beside_the_right_one_are_ignored()
    {
        await using var server = HostileNameserver.Answering(q => new DnsMessageBuilder(q)
            .Txt("other.example.test", 60, "v=DKIM1; p=EVIL")
            .AnswerRecord(DnsMessageBuilder.Record(Name, 16, 60, [4, .. "EVIL"u8.ToArray()], @class: 3))
            .Txt(Name, 60, "v=DKIM1; p=GOOD")
            .Build());

        var lookup = await new AuthoritativeDns(Patient).TxtAsync(server.AsNameserver(), Name, default);

        Assert.Equal("v=DKIM1; p=GOOD", Assert.Single(Assert.IsType<TxtLookup.Found>(lookup).Records).Joined);
    }

    [Fact]
    public async Task A_record_of_another_class_at_the_name_is_not_a_txt_record()
    {
        await using var server = HostileNameserver.Answering(q =>
        {
            return new DnsMessageBuilder(q).AnswerRecord(DnsMessageBuilder.Record(Name, 16, 60, [4, .. "EVIL"u8.ToArray()], @class: 3)).Build();
        });

        Assert.Contains("answered only for other names or classes", await UnreachableAsync(server));
    }

    [Fact]
    public async Task A_cname_is_not_followed()
    {
        await using var server = HostileNameserver.Answering(q => new DnsMessageBuilder(q)
            .Cname(Name, "elsewhere.attacker.test")
            .Txt("elsewhere.attacker.test", 60, "v=DKIM1; p=EVIL")
            .Build());

        Assert.Contains("is an alias (CNAME)", await UnreachableAsync(server));
    }

    [Fact]
    public async Task Refused_is_unreachable_naming_the_rcode()
    {
        await using var server = HostileNameserver.Answering(q => new DnsMessageBuilder(q) { ResponseCode = 5, Authoritative = false }.Build());

        Assert.Contains("answered REFUSED for TXT sel._domainkey.example.test", await UnreachableAsync(server));
    }

    [Fact]
    public async Task Silence_is_unreachable_after_the_tries()
    {
        await using var server = HostileNameserver.Answering(_ => null);

        var (reason, elapsed) = await TimedUnreachableAsync(server, Fast);

        Assert.Contains("no answer from 127.0.0.1", reason);
        Assert.Contains("within 300 ms (2 tries over UDP)", reason);
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(550), WithinDeadline);
        Assert.Equal(2, server.UdpQueries.Count);
    }

    [Fact]
    public async Task Random_bytes_are_ignored_as_no_answer()
    {
        var random = new Random(1);
        await using var server = new HostileNameserver(q => Enumerable.Range(0, 3).Select(_ =>
        {
            var garbage = new byte[random.Next(1, 600)];
            random.NextBytes(garbage);
            if (garbage.Length > 0)
            {
                garbage[0] = (byte)~q[0]; // never the query's id: what is tested is noise, not a malformed answer
            }

            return garbage;
        }).ToList());

        var (reason, elapsed) = await TimedUnreachableAsync(server, Fast);

        Assert.Contains("no answer", reason);
        Assert.Contains("datagrams that were no answer to the query were ignored", reason);
        Assert.True(elapsed < WithinDeadline, $"took {elapsed}");
    }

    [Fact]
    public async Task Garbage_after_a_real_header_is_refused_as_malformed()
    {
        await using var server = HostileNameserver.Answering(q =>
        {
            var answer = new DnsMessageBuilder(q).Txt(Name, 60, "v=DKIM1").Build();
            answer[7] = 200; // 200 answers declared, one present
            return answer;
        });

        var reason = await UnreachableAsync(server);

        Assert.Contains("sent an answer this adapter refuses: a message that ends inside a record", reason);
        Assert.Single(server.UdpQueries); // a malformed answer is an answer: no second try
    }

    [Fact]
    public async Task A_compression_pointer_loop_is_refused()
    {
        await using var server = HostileNameserver.Answering(q =>
        {
            var header = new DnsMessageBuilder(q).Build();
            header[7] = 1;
            var pointerToItself = header.Length;
            // An owner name that is a pointer to itself, then the rest of a TXT record.
            return [.. header, (byte)(0xC0 | pointerToItself >> 8), (byte)pointerToItself, 0, 16, 0, 1, 0, 0, 0, 60, 0, 2, 1, (byte)'x'];
        });

        Assert.Contains("compression pointer does not point backwards", await UnreachableAsync(server));
    }

    [Fact]
    public async Task An_answer_to_another_question_is_refused()
    {
        await using var server = HostileNameserver.Answering(q =>
        {
            var other = DnsQuestionFor("evil.example.test", q);
            return new DnsMessageBuilder(other).Txt("evil.example.test", 60, "x").Build();
        });

        Assert.Contains("answered another question than TXT sel._domainkey.example.test", await UnreachableAsync(server));
    }

    [Fact]
    public async Task More_txt_records_than_the_bound_are_refused()
    {
        await using var server = HostileNameserver.Answering(q =>
        {
            var builder = new DnsMessageBuilder(q);
            for (var i = 0; i < 17; i++)
            {
                builder.Txt(Name, 60, $"v=DKIM1; p={i}");
            }

            return builder.Build();
        });

        Assert.Contains("more than 16 TXT records at sel._domainkey.example.test", await UnreachableAsync(server));
    }

    [Fact]
    public async Task A_txt_record_of_more_strings_than_the_bound_is_refused()
    {
        await using var server = HostileNameserver.Answering(q => new DnsMessageBuilder(q).Txt(Name, 60, Enumerable.Repeat("a", 129).ToArray()).Build());

        Assert.Contains("a TXT record of more than 128 strings", await UnreachableAsync(server));
    }

    [Fact]
    public async Task A_huge_answer_over_tcp_is_refused_by_its_size_not_read_whole_into_records()
    {
        // Truncated over UDP; over TCP one record of 240 strings of 255 bytes: 61 KB, past the 16 KiB and 128-string bounds.
        var hugeStrings = Enumerable.Repeat(new string('A', 255), 240).ToArray();
        await using var server = HostileNameserver.Answering(
            q => new DnsMessageBuilder(q) { Truncated = true }.Build(),
            async (q, stream, ct) => await HostileNameserver.WriteFramedAsync(stream, new DnsMessageBuilder(q).Txt(Name, 60, hugeStrings).Build(), ct));

        var (reason, _) = await TimedUnreachableAsync(server, Patient);

        Assert.Contains("a TXT record of more than", reason);
        Assert.Single(server.TcpQueries);
    }

    [Fact]
    public async Task A_truncated_udp_answer_is_asked_again_over_tcp()
    {
        var value = new string('k', 700);
        await using var server = HostileNameserver.Answering(
            q => new DnsMessageBuilder(q) { Truncated = true }.Build(),
            async (q, stream, ct) => await HostileNameserver.WriteFramedAsync(stream, new DnsMessageBuilder(q).Txt(Name, 60, value[..255], value[255..510], value[510..]).Build(), ct));

        var lookup = await new AuthoritativeDns(Patient).TxtAsync(server.AsNameserver(), Name, default);

        Assert.Equal(value, Assert.Single(Assert.IsType<TxtLookup.Found>(lookup).Records).Joined);
    }

    [Fact]
    public async Task A_server_flooding_the_tcp_connection_gives_one_answer_read_and_the_connection_closed()
    {
        // DnsClient's TCP path reads on while the server sends: this server would fill memory until the timeout.
        long sent = 0;
        await using var server = HostileNameserver.Answering(
            q => new DnsMessageBuilder(q) { Truncated = true }.Build(),
            async (q, stream, ct) =>
            {
                var answer = new DnsMessageBuilder(q).Txt(Name, 60, Enumerable.Repeat(new string('a', 200), 60).ToArray()).Build();
                while (!ct.IsCancellationRequested)
                {
                    await HostileNameserver.WriteFramedAsync(stream, answer, ct);
                    Interlocked.Add(ref sent, answer.Length);
                }
            });
        var dns = new AuthoritativeDns(Patient with { MaxTxtStrings = 64 });

        var lookup = await dns.TxtAsync(server.AsNameserver(), Name, default);

        // Found, not a timeout: the first message was taken and nothing after it waited for.
        Assert.IsType<TxtLookup.Found>(lookup);
        Assert.True(Interlocked.Read(ref sent) > 0);
    }

    [Fact]
    public async Task A_server_trickling_its_tcp_answer_is_cut_off_at_the_timeout()
    {
        await using var server = HostileNameserver.Answering(
            q => new DnsMessageBuilder(q) { Truncated = true }.Build(),
            async (q, stream, ct) =>
            {
                var framed = new byte[] { 0x10, 0x00 }.Concat(new DnsMessageBuilder(q).Txt(Name, 60, new string('a', 200)).Build()).ToArray();
                foreach (var b in framed)
                {
                    await stream.WriteAsync(new[] { b }, ct);
                    await Task.Delay(50, ct);
                }
            });

        var (reason, elapsed) = await TimedUnreachableAsync(server, Fast);

        Assert.Contains("over TCP within 300 ms (the UDP answer was truncated)", reason);
        Assert.True(elapsed < WithinDeadline, $"took {elapsed}");
    }

    [Fact]
    public async Task The_call_deadline_bounds_the_whole_call()
    {
        await using var server = HostileNameserver.Answering(_ => null);
        var dns = new AuthoritativeDns(new AuthoritativeDnsOptions { QueryTimeout = TimeSpan.FromSeconds(5), Tries = 3, CallDeadline = TimeSpan.FromMilliseconds(400) });

        var stopwatch = Stopwatch.StartNew();
        var lookup = await dns.TxtAsync(server.AsNameserver(), Name, default);

        Assert.Contains("within the call's deadline of 400 ms", Assert.IsType<TxtLookup.Unreachable>(lookup).Reason);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task A_port_with_nothing_listening_is_unreachable_at_once()
    {
        int port;
        using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            port = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
        }

        var lookup = await new AuthoritativeDns(Patient).TxtAsync(new Nameserver("ns.gone.test", IPAddress.Loopback, port), Name, default);

        // Refused (the ICMP port unreachable), not "no answer within": nothing was waited for.
        Assert.Contains("over UDP: connection refused", Assert.IsType<TxtLookup.Unreachable>(lookup).Reason);
    }

    [Fact]
    public async Task A_port_no_endpoint_can_have_is_a_reason_not_an_exception()
    {
        var lookup = await new AuthoritativeDns(Patient).TxtAsync(new Nameserver("ns.example.test", IPAddress.Loopback, 70000), Name, default);

        Assert.Contains("failed: ArgumentOutOfRangeException", Assert.IsType<TxtLookup.Unreachable>(lookup).Reason);
    }

    [Fact]
    public async Task The_callers_cancellation_throws()
    {
        await using var server = HostileNameserver.Answering(_ => null);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new AuthoritativeDns(Patient).TxtAsync(server.AsNameserver(), Name, cancel.Token));
    }

    [Fact]
    public async Task A_name_that_is_not_one_is_refused_before_anything_is_sent()
    {
        await using var server = HostileNameserver.Answering(_ => null);

        var lookup = await new AuthoritativeDns(Patient).TxtAsync(server.AsNameserver(), "sel\n._domainkey.example.test", default);

        var reason = Assert.IsType<TxtLookup.Unreachable>(lookup).Reason;
        Assert.Contains("is not a domain name", reason);
        Assert.DoesNotContain('\n', reason);
        Assert.Empty(server.UdpQueries);
    }

    [Fact]
    public async Task Every_reason_is_one_line_of_at_most_200_characters()
    {
        var longName = string.Join('.', Enumerable.Repeat(new string('x', 60), 4));
        await using var server = HostileNameserver.Answering(q => new DnsMessageBuilder(q) { Authoritative = false }.Build());

        var lookup = await new AuthoritativeDns(Patient).TxtAsync(server.AsNameserver(), longName, default);

        var reason = Assert.IsType<TxtLookup.Unreachable>(lookup).Reason;
        Assert.InRange(reason.Length, 1, 200);
        Assert.DoesNotContain(reason, char.IsControl);
    }

    private static async Task<string> UnreachableAsync(HostileNameserver server) => (await TimedUnreachableAsync(server, Patient)).Reason;

    private static async Task<(string Reason, TimeSpan Elapsed)> TimedUnreachableAsync(HostileNameserver server, AuthoritativeDnsOptions options)
    {
        var stopwatch = Stopwatch.StartNew();
        var lookup = await new AuthoritativeDns(options).TxtAsync(server.AsNameserver(), Name, default);
        var reason = Assert.IsType<TxtLookup.Unreachable>(lookup).Reason;
        Assert.InRange(reason.Length, 1, 200);
        Assert.DoesNotContain(reason, char.IsControl);
        return (reason, stopwatch.Elapsed);
    }

    /// <summary>A copy of the query asking <paramref name="name"/> instead, same id: what a server answering another question echoes.</summary>
    private static byte[] DnsQuestionFor(string name, byte[] query) =>
        [.. query[..12], .. DnsMessageBuilder.Name(name), .. query.AsSpan(12 + DnsMessageBuilder.QuestionOf(query).Length - 4, 4).ToArray()];
}
