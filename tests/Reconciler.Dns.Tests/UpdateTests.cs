using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using ARSoft.Tools.Net.Dns;
using ARSoft.Tools.Net.Dns.DynamicUpdate;
using Reconciler.Core.Dns;
using Reconciler.Dns.Tests.Support;

namespace Reconciler.Dns.Tests;

/// <summary>
/// ReplaceTxtAsync and DeleteTxtAsync against a test primary: the message sent (one UPDATE, TSIG-signed), and how each
/// answer is judged. The real bind primary is in Reconciler.Integration.Tests (DnsAdapterTests).
/// </summary>
public sealed class UpdateTests
{
    private const string Zone = "example.test";
    private const string Name = "sel._domainkey.example.test";
    private const string KeyName = "reconciler-update";

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
        CallDeadline = TimeSpan.FromSeconds(2),
    };

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    private string Secret => Convert.ToBase64String(_key);

    [Fact]
    public async Task Replace_sends_one_signed_update_deleting_the_txt_rrset_and_adding_the_record()
    {
        await using var primary = Primary((q, _) => Sign(q, new DnsMessageBuilder(q) { Authoritative = false }.Build()));
        var strings = new[] { "v=DKIM1; k=rsa; p=" + new string('A', 230), new string('B', 255), new string('C', 100) };

        var reason = await new AuthoritativeDns(Patient).ReplaceTxtAsync(Target(primary), Name, 300, strings, default);

        Assert.Null(reason);
        var update = DnsUpdateMessage.Parse(Assert.Single(primary.TcpQueries));
        Assert.Equal("example.test", update.ZoneName.ToString(false));
        Assert.Empty(update.Prequisites);
        Assert.Collection(
            update.Updates,
            delete =>
            {
                var all = Assert.IsType<DeleteAllRecordsUpdate>(delete);
                Assert.Equal(Name, all.Name.ToString(false));
                Assert.Equal(RecordType.Txt, all.RecordType);
            },
            add =>
            {
                var record = Assert.IsType<ARSoft.Tools.Net.Dns.TxtRecord>(Assert.IsType<AddRecordUpdate>(add).Record);
                Assert.Equal(Name, record.Name.ToString(false));
                Assert.Equal(300, record.TimeToLive);
                Assert.Equal(strings, record.TextParts);
            });
        Assert.Equal(TSigAlgorithm.Sha256, update.TSigOptions!.Algorithm);
        Assert.Equal(KeyName, update.TSigOptions.Name.ToString(false));
    }

    [Fact]
    public async Task Delete_sends_one_signed_update_deleting_the_txt_rrset()
    {
        await using var primary = Primary((q, _) => Sign(q, new DnsMessageBuilder(q) { Authoritative = false }.Build()));

        var reason = await new AuthoritativeDns(Patient).DeleteTxtAsync(Target(primary), Name, default);

        Assert.Null(reason);
        var update = DnsUpdateMessage.Parse(Assert.Single(primary.TcpQueries));
        var delete = Assert.IsType<DeleteAllRecordsUpdate>(Assert.Single(update.Updates));
        Assert.Equal(RecordType.Txt, delete.RecordType);
        Assert.NotNull(update.TSigOptions);
    }

    [Theory]
    [InlineData("hmac-sha512", TSigAlgorithm.Sha512)]
    [InlineData("HMAC-SHA1.", TSigAlgorithm.Sha1)]
    public async Task The_other_accepted_algorithms_sign_with_themselves(string algorithm, TSigAlgorithm expected)
    {
        await using var primary = Primary((q, _) => new DnsMessageBuilder(q) { ResponseCode = 5 }.Build());

        await new AuthoritativeDns(Patient).DeleteTxtAsync(Target(primary) with { Algorithm = algorithm }, Name, default);

        Assert.Equal(expected, DnsUpdateMessage.Parse(Assert.Single(primary.TcpQueries)).TSigOptions!.Algorithm);
    }

    [Fact]
    public async Task Noerror_without_a_signature_is_not_believed()
    {
        await using var primary = Primary((q, _) => new DnsMessageBuilder(q).Build());

        var reason = await new AuthoritativeDns(Patient).DeleteTxtAsync(Target(primary), Name, default);

        Assert.Contains("NOERROR without a TSIG signature", reason);
    }

    [Fact]
    public async Task Noerror_signed_with_another_key_is_not_believed()
    {
        await using var primary = Primary((q, _) => TsigSigner.Sign(q, new DnsMessageBuilder(q).Build(), KeyName, RandomNumberGenerator.GetBytes(32)));

        var reason = await new AuthoritativeDns(Patient).DeleteTxtAsync(Target(primary), Name, default);

        Assert.Contains("TSIG signature that does not verify", reason);
        AssertNoSecret(reason);
    }

    [Theory]
    [InlineData(17, "BADKEY")]
    [InlineData(16, "BADSIG")]
    [InlineData(18, "BADTIME")]
    public async Task A_key_the_server_does_not_accept_is_said_so_without_the_secret(int tsigError, string named)
    {
        await using var primary = Primary((q, _) => TsigSigner.Sign(q, new DnsMessageBuilder(q) { ResponseCode = 9 }.Build(), KeyName, _key, tsigError, withMac: false));

        var reason = await new AuthoritativeDns(Patient).ReplaceTxtAsync(Target(primary), Name, 300, ["v=DKIM1; p=AAAA"], default);

        Assert.Contains($"TSIG key \"{KeyName}\" not accepted", reason);
        Assert.Contains(named, reason);
        AssertNoSecret(reason);
    }

    [Theory]
    [InlineData(5, "REFUSED")]
    [InlineData(9, "NOTAUTH")]
    [InlineData(10, "NOTZONE")]
    [InlineData(2, "SERVFAIL")]
    public async Task An_error_rcode_is_named(int code, string named)
    {
        await using var primary = Primary((q, _) => new DnsMessageBuilder(q) { ResponseCode = code }.Build());

        var reason = await new AuthoritativeDns(Patient).ReplaceTxtAsync(Target(primary), Name, 300, ["v=DKIM1; p=AAAA"], default);

        Assert.Contains(named, reason);
        AssertNoSecret(reason);
    }

    [Fact]
    public async Task A_primary_that_never_answers_is_given_up_at_the_deadline()
    {
        await using var primary = new HostileNameserver(_ => [], async (_, _, ct) => await Task.Delay(Timeout.Infinite, ct));

        var stopwatch = Stopwatch.StartNew();
        var reason = await new AuthoritativeDns(Fast).ReplaceTxtAsync(Target(primary), Name, 300, ["v=DKIM1; p=AAAA"], default);

        Assert.Contains("within the call's deadline", reason);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"took {stopwatch.Elapsed}");
        AssertNoSecret(reason);
    }

    [Fact]
    public async Task A_primary_answering_garbage_gets_a_reason()
    {
        await using var primary = Primary((q, _) => [q[0], q[1], 0xA8, 0x00, 0, 1, 0, 0, 0, 0, 0, 9, 0xDE, 0xAD, 0xBE, 0xEF]);

        var reason = await new AuthoritativeDns(Patient).ReplaceTxtAsync(Target(primary), Name, 300, ["v=DKIM1; p=AAAA"], default);

        Assert.NotNull(reason);
        Assert.InRange(reason.Length, 1, 200);
        AssertNoSecret(reason);
    }

    [Fact]
    public async Task Nothing_listening_is_connection_refused()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var target = new DnsUpdateTarget(new IPEndPoint(IPAddress.Loopback, port), Zone, KeyName, "hmac-sha256", Secret);
        var reason = await new AuthoritativeDns(Patient).DeleteTxtAsync(target, Name, default);

        Assert.Contains("connection refused", reason);
        AssertNoSecret(reason);
    }

    [Fact]
    public async Task The_callers_cancellation_throws()
    {
        await using var primary = new HostileNameserver(_ => [], async (_, _, ct) => await Task.Delay(Timeout.Infinite, ct));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new AuthoritativeDns(Patient).DeleteTxtAsync(Target(primary), Name, cancel.Token));
    }

    public static TheoryData<string, string?, string?, string[], string> RefusedBeforeSending => new()
    {
        { "hmac-md5", null, null, ["v=DKIM1"], "TSIG algorithm \"hmac-md5\" is not supported" },
        { "hmac-sha256", "not base64!", null, ["v=DKIM1"], "is not base64" },
        { "hmac-sha256", null, "sel._domainkey.other.test", ["v=DKIM1"], "is not in zone \"example.test\"" },
        { "hmac-sha256", null, null, [new string('a', 256)], "TXT string 1 is 256 characters" },
        { "hmac-sha256", null, null, ["v=DKIM1", "é"], "TXT string 2 has a character outside printable ASCII" },
        { "hmac-sha256", null, null, [], "a TXT record of 0 strings" },
    };

    [Theory]
    [MemberData(nameof(RefusedBeforeSending))]
    public async Task What_cannot_be_sent_as_asked_is_refused_before_anything_is_sent(string algorithm, string? secret, string? name, string[] strings, string expected)
    {
        await using var primary = Primary((q, _) => Sign(q, new DnsMessageBuilder(q).Build()));
        var target = Target(primary) with { Algorithm = algorithm, Secret = secret ?? Secret };

        var reason = await new AuthoritativeDns(Patient).ReplaceTxtAsync(target, name ?? Name, 300, strings, default);

        Assert.Contains(expected, reason);
        Assert.Empty(primary.TcpQueries);
        AssertNoSecret(reason);
        if (secret is not null)
        {
            Assert.DoesNotContain(secret, reason);
        }
    }

    [Fact]
    public void The_target_never_shows_its_secret()
    {
        var target = new DnsUpdateTarget(new IPEndPoint(IPAddress.Loopback, 53), Zone, KeyName, "hmac-sha256", Secret);

        Assert.DoesNotContain(Secret, target.ToString());
    }

    private HostileNameserver Primary(Func<byte[], byte[], byte[]> answer) =>
        new(_ => [], async (q, stream, ct) => await HostileNameserver.WriteFramedAsync(stream, answer(q, _key), ct));

    private DnsUpdateTarget Target(HostileNameserver primary) => new(primary.EndPoint, Zone, KeyName, "hmac-sha256", Secret);

    private byte[] Sign(byte[] request, byte[] response) => TsigSigner.Sign(request, response, KeyName, _key);

    private void AssertNoSecret(string? reason)
    {
        Assert.NotNull(reason);
        Assert.DoesNotContain(Secret, reason);
        Assert.DoesNotContain(Secret[..12], reason);
        Assert.DoesNotContain(Convert.ToHexString(_key)[..16], reason, StringComparison.OrdinalIgnoreCase);
    }
}
