using System.Diagnostics;
using System.Net;
using Reconciler.Core.Dns;
using Reconciler.Dns.Tests.Support;

namespace Reconciler.Dns.Tests;

/// <summary>NameserversAsync: the zone's NS set and addresses, from glue or asked of the same server, bounded.</summary>
public sealed class NameserverLookupTests
{
    private const string Zone = "example.test";

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

    [Fact]
    public async Task Glue_gives_every_address_ordered_by_name_then_address()
    {
        await using var server = HostileNameserver.Answering(q => new DnsMessageBuilder(q)
            .Ns(Zone, "ns2.example.test").Ns(Zone, "NS1.example.test")
            .GlueAAAA("ns1.example.test", "2001:db8::1").GlueA("ns2.example.test", "192.0.2.2")
            .GlueA("ns1.example.test", "192.0.2.9").GlueA("ns1.example.test", "192.0.2.1")
            .Build());

        var lookup = await new AuthoritativeDns(Patient).NameserversAsync(Zone, server.EndPoint, default);

        var found = Assert.IsType<NameserverLookup.Found>(lookup).Servers;
        Assert.Equal(
            ["ns1.example.test 192.0.2.1", "ns1.example.test 192.0.2.9", "ns1.example.test 2001:db8::1", "ns2.example.test 192.0.2.2"],
            found.Select(s => $"{s.Name} {s.Address}"));
        Assert.All(found, s => Assert.Equal(53, s.Port));
        Assert.False(DnsMessageBuilder.RecursionDesired(server.UdpQueries.First()));
    }

    [Fact]
    public async Task Without_glue_the_same_server_is_asked_for_a_and_aaaa()
    {
        await using var server = HostileNameserver.Answering(q =>
        {
            var name = DnsMessageBuilder.QuestionName(q);
            return DnsMessageBuilder.QuestionType(q) switch
            {
                2 => new DnsMessageBuilder(q).Ns(Zone, "ns1.example.test").Ns(Zone, "ns.provider.test").GlueA("ns1.example.test", "192.0.2.1").Build(),
                1 when name == "ns.provider.test" => new DnsMessageBuilder(q).A(name, "198.51.100.7").Build(),
                28 when name == "ns.provider.test" => new DnsMessageBuilder(q).AAAA(name, "2001:db8::7").Build(),
                _ => new DnsMessageBuilder(q) { ResponseCode = 5, Authoritative = false }.Build(),
            };
        });

        var lookup = await new AuthoritativeDns(Patient).NameserversAsync(Zone, server.EndPoint, default);

        Assert.Equal(
            ["ns.provider.test 198.51.100.7", "ns.provider.test 2001:db8::7", "ns1.example.test 192.0.2.1"],
            Assert.IsType<NameserverLookup.Found>(lookup).Servers.Select(s => $"{s.Name} {s.Address}"));
    }

    [Fact]
    public async Task A_name_without_any_address_fails_the_lookup_naming_it()
    {
        await using var server = HostileNameserver.Answering(q => DnsMessageBuilder.QuestionType(q) == 2
            ? new DnsMessageBuilder(q).Ns(Zone, "ns1.example.test").Ns(Zone, "ns.elsewhere.test").GlueA("ns1.example.test", "192.0.2.1").Build()
            : new DnsMessageBuilder(q) { ResponseCode = 5, Authoritative = false }.Build());

        var lookup = await new AuthoritativeDns(Patient).NameserversAsync(Zone, server.EndPoint, default);

        var reason = Assert.IsType<NameserverLookup.Failed>(lookup).Reason;
        Assert.Contains("NS ns.elsewhere.test of example.test has no address", reason);
        Assert.Contains("REFUSED", reason);
    }

    [Fact]
    public async Task A_non_authoritative_ns_answer_from_the_server_asked_first_fails()
    {
        await using var server = HostileNameserver.Answering(q => new DnsMessageBuilder(q) { Authoritative = false }.Ns(Zone, "ns1.example.test").GlueA("ns1.example.test", "192.0.2.1").Build());

        var lookup = await new AuthoritativeDns(Patient).NameserversAsync(Zone, server.EndPoint, default);

        Assert.Contains("is not authoritative for example.test", Assert.IsType<NameserverLookup.Failed>(lookup).Reason);
    }

    [Fact]
    public async Task A_resolver_is_asked_with_recursion_and_need_not_be_authoritative()
    {
        await using var resolver = HostileNameserver.Answering(q => new DnsMessageBuilder(q) { Authoritative = false }.Ns(Zone, "ns1.example.test").GlueA("ns1.example.test", "192.0.2.1").Build());
        var dns = new AuthoritativeDns(Patient with { Resolvers = [resolver.EndPoint] });

        var lookup = await dns.NameserversAsync(Zone, askFirst: null, default);

        Assert.Single(Assert.IsType<NameserverLookup.Found>(lookup).Servers);
        Assert.True(DnsMessageBuilder.RecursionDesired(resolver.UdpQueries.First()));
    }

    [Fact]
    public async Task No_resolver_at_all_fails()
    {
        var lookup = await new AuthoritativeDns(Patient with { Resolvers = [] }).NameserversAsync(Zone, askFirst: null, default);

        Assert.Contains("no resolver configured", Assert.IsType<NameserverLookup.Failed>(lookup).Reason);
    }

    [Fact]
    public async Task More_ns_names_than_the_bound_fail()
    {
        await using var server = HostileNameserver.Answering(q =>
        {
            var builder = new DnsMessageBuilder(q);
            for (var i = 0; i < 17; i++)
            {
                builder.Ns(Zone, $"ns{i}.example.test").GlueA($"ns{i}.example.test", $"192.0.2.{i + 1}");
            }

            return builder.Build();
        });

        var lookup = await new AuthoritativeDns(Patient).NameserversAsync(Zone, server.EndPoint, default);

        Assert.Contains("more than 16 NS records", Assert.IsType<NameserverLookup.Failed>(lookup).Reason);
    }

    [Fact]
    public async Task More_addresses_of_one_name_than_the_bound_fail()
    {
        await using var server = HostileNameserver.Answering(q =>
        {
            var builder = new DnsMessageBuilder(q).Ns(Zone, "ns1.example.test");
            for (var i = 0; i < 9; i++)
            {
                builder.GlueA("ns1.example.test", $"192.0.2.{i + 1}");
            }

            return builder.Build();
        });

        var lookup = await new AuthoritativeDns(Patient).NameserversAsync(Zone, server.EndPoint, default);

        Assert.Contains("more than 8 addresses", Assert.IsType<NameserverLookup.Failed>(lookup).Reason);
    }

    [Fact]
    public async Task A_hostile_ns_name_comes_back_escaped_on_one_line()
    {
        await using var server = HostileNameserver.Answering(q => new DnsMessageBuilder(q)
            .Ns(Zone, "ns\n1\u001b[31m.exam ple.test")
            .GlueA("ns\n1\u001b[31m.exam ple.test", "192.0.2.1")
            .Build());

        var lookup = await new AuthoritativeDns(Patient).NameserversAsync(Zone, server.EndPoint, default);

        var found = Assert.Single(Assert.IsType<NameserverLookup.Found>(lookup).Servers);
        Assert.Equal(@"ns\0101\027[31m.exam\032ple.test", found.Name);
    }

    [Fact]
    public async Task No_ns_records_fail()
    {
        await using var server = HostileNameserver.Answering(q => new DnsMessageBuilder(q).Build());

        var lookup = await new AuthoritativeDns(Patient).NameserversAsync(Zone, server.EndPoint, default);

        Assert.Contains("answered no NS records for example.test", Assert.IsType<NameserverLookup.Failed>(lookup).Reason);
    }

    [Fact]
    public async Task Silence_fails_within_the_deadline()
    {
        await using var server = HostileNameserver.Answering(_ => null);

        var stopwatch = Stopwatch.StartNew();
        var lookup = await new AuthoritativeDns(Fast).NameserversAsync(Zone, server.EndPoint, default);

        Assert.Contains("no answer from 127.0.0.1", Assert.IsType<NameserverLookup.Failed>(lookup).Reason);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Garbage_fails_with_a_reason()
    {
        await using var server = HostileNameserver.Answering(q => [q[0], q[1], 0x84, 0x00, 0, 1, 0xFF, 0xFF, 0, 0, 0, 0, 0xDE, 0xAD]);

        var lookup = await new AuthoritativeDns(Patient).NameserversAsync(Zone, server.EndPoint, default);

        Assert.Contains("refuses", Assert.IsType<NameserverLookup.Failed>(lookup).Reason);
    }

    [Fact]
    public async Task Glue_for_names_outside_the_ns_set_is_ignored()
    {
        await using var server = HostileNameserver.Answering(q => new DnsMessageBuilder(q)
            .Ns(Zone, "ns1.example.test")
            .GlueA("ns1.example.test", "192.0.2.1")
            .GlueA("victim.example.test", "10.0.0.1")
            .Build());

        var lookup = await new AuthoritativeDns(Patient).NameserversAsync(Zone, server.EndPoint, default);

        Assert.Equal(IPAddress.Parse("192.0.2.1"), Assert.Single(Assert.IsType<NameserverLookup.Found>(lookup).Servers).Address);
    }
}
