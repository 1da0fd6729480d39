using Reconciler.Dns.Tests.Support;
using Reconciler.Dns.Wire;

namespace Reconciler.Dns.Tests;

/// <summary>The bounded reader on messages no honest server sends: each is refused with the reader's own words.</summary>
public sealed class DnsResponseReaderTests
{
    private static readonly DnsReadLimits Limits = new(MaxRecords: 512, MaxTxtStrings: 128, MaxTxtBytes: 16 * 1024);

    private static readonly byte[] Query = DnsQuery.Encode(0x1234, DnsName.Parse("sel._domainkey.example.test", out _)!, DnsType.Txt, recursionDesired: false);

    [Fact]
    public void An_honest_answer_reads_whole()
    {
        var message = new DnsMessageBuilder(Query).Txt("sel._domainkey.example.test", 60, "v=DKIM1; ", "p=AB").Build();

        var response = DnsResponseReader.Read(message, Limits);

        Assert.Equal(0x1234, response.Id);
        Assert.True(response.IsResponse);
        Assert.True(response.Authoritative);
        Assert.Equal("sel._domainkey.example.test", response.Question!.Name.ToString());
        Assert.Equal(["v=DKIM1; ", "p=AB"], Assert.IsType<DnsTxtRecord>(Assert.Single(response.Answers)).Strings);
    }

    [Fact]
    public void A_name_grown_past_255_octets_through_pointers_is_refused()
    {
        // Four runs of one 63-byte label, each ending in a pointer to the run before it (every pointer points
        // backwards), kept in the data of a record of a type nobody reads. The next record's owner points at the last
        // run: a name of 4 * 64 + 1 = 257 octets.
        var header = new DnsMessageBuilder(Query) { EchoQuestion = false }.Build();
        header[7] = 2;
        var dataStart = header.Length + 1 + 10; // root owner, then type, class, TTL and length
        var runs = new List<byte>();
        var previous = -1;
        for (var i = 0; i < 4; i++)
        {
            var start = dataStart + runs.Count;
            runs.Add(63);
            runs.AddRange(Enumerable.Repeat((byte)'a', 63));
            runs.AddRange(previous < 0 ? [0] : [(byte)(0xC0 | previous >> 8), (byte)previous]);
            previous = start;
        }

        byte[] message =
        [
            .. header,
            .. DnsMessageBuilder.Record(".", 65280, 0, [.. runs]),
            (byte)(0xC0 | previous >> 8), (byte)previous, 0, 16, 0, 1, 0, 0, 0, 60, 0, 2, 1, (byte)'x',
        ];

        var refused = Assert.Throws<DnsFormatException>(() => DnsResponseReader.Read(message, Limits));

        Assert.Equal("a name longer than 255 octets", refused.Message);
    }

    [Fact]
    public void A_pointer_forwards_is_refused()
    {
        var header = new DnsMessageBuilder(Query) { EchoQuestion = false }.Build();
        header[7] = 1;
        var ahead = header.Length + 20;
        byte[] message = [.. header, (byte)(0xC0 | ahead >> 8), (byte)ahead, 0, 16, 0, 1, 0, 0, 0, 60, 0, 2, 1, (byte)'x', .. DnsMessageBuilder.Name("x.test")];

        var refused = Assert.Throws<DnsFormatException>(() => DnsResponseReader.Read(message, Limits));

        Assert.Equal("a name whose compression pointer does not point backwards", refused.Message);
    }

    [Fact]
    public void An_address_of_the_wrong_length_is_refused()
    {
        var message = new DnsMessageBuilder(Query).Answer("ns1.example.test", DnsType.A, 60, [192, 0, 2]).Build();

        Assert.Equal("an A record of 3 bytes", Assert.Throws<DnsFormatException>(() => DnsResponseReader.Read(message, Limits)).Message);
    }

    [Fact]
    public void An_ns_record_with_bytes_after_its_name_is_refused()
    {
        var message = new DnsMessageBuilder(Query).Answer("example.test", DnsType.Ns, 60, [.. DnsMessageBuilder.Name("ns1.example.test"), 0xFF]).Build();

        Assert.Contains("NS record whose data is longer than its name", Assert.Throws<DnsFormatException>(() => DnsResponseReader.Read(message, Limits)).Message);
    }

    [Fact]
    public void More_records_declared_than_the_bound_are_refused_before_any_is_read()
    {
        var message = new DnsMessageBuilder(Query).Build();
        message[6] = 0x03; // 768 answers declared

        Assert.Contains("more than 512", Assert.Throws<DnsFormatException>(() => DnsResponseReader.Read(message, Limits)).Message);
    }

    [Fact]
    public void The_opt_records_extended_rcode_bits_are_part_of_the_rcode()
    {
        // BADVERS (16): RCODE 0 in the header, extended RCODE 1 in the OPT record's TTL.
        var opt = DnsMessageBuilder.Record(".", DnsType.Opt, 0x01000000, [], @class: 1232);
        var message = new DnsMessageBuilder(Query).Additional(opt).Build();

        Assert.Equal(16, DnsResponseReader.Read(message, Limits).ResponseCode);
    }

    [Fact]
    public void A_message_shorter_than_a_header_is_refused()
    {
        Assert.Contains("shorter than a DNS header", Assert.Throws<DnsFormatException>(() => DnsResponseReader.Read(new byte[11], Limits)).Message);
    }
}
