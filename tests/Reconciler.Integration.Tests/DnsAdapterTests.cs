using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Reconciler.Core.Dns;
using Reconciler.Dns;
using Reconciler.Integration.Tests.Fixtures;

namespace Reconciler.Integration.Tests;

/// <summary>
/// The DNS adapter against real BIND (Fixtures/DnsZonePair: a primary taking TSIG-signed updates, a secondary following
/// it): what the DKIM kind will do, with values a 4096-bit key makes. Each test starts its own pair.
/// </summary>
public sealed class DnsAdapterTests
{
    // NOTIFY arrives at once and a missed one is made up by the 5 s SOA refresh; 15 s leaves room for a slow machine.
    private static readonly TimeSpan SecondaryFollows = TimeSpan.FromSeconds(15);

    private readonly AuthoritativeDns _dns = new();

    [Fact]
    public async Task The_primary_names_both_nameservers_with_their_addresses()
    {
        await using var pair = await DnsZonePair.StartAsync();

        var lookup = await _dns.NameserversAsync(pair.Zone, new IPEndPoint(pair.PrimaryAddress, 53), default);

        var found = Assert.IsType<NameserverLookup.Found>(lookup);
        Assert.Equal(
            [new Nameserver(pair.PrimaryName, pair.PrimaryAddress), new Nameserver(pair.SecondaryName, pair.SecondaryAddress)],
            found.Servers);
    }

    [Fact]
    public async Task A_4096_bit_dkim_value_written_to_the_primary_is_answered_exactly_by_both_servers()
    {
        await using var pair = await DnsZonePair.StartAsync();
        var name = $"s2026._domainkey.{pair.Zone}";
        var value = DkimValue();
        var strings = value.Chunk(255).Select(chunk => new string(chunk)).ToList();

        // Given a record already there, when the adapter replaces it with a 4096-bit key's value
        await pair.SetTxtOnPrimaryAsync(name, "v=DKIM1; k=rsa; p=old");
        var reason = await _dns.ReplaceTxtAsync(Target(pair), name, 300, strings, default);

        // Then the primary answers that one record at once, string for string, and the secondary within seconds
        Assert.Null(reason);
        var record = Assert.Single(Assert.IsType<TxtLookup.Found>(await _dns.TxtAsync(Primary(pair), name, default)).Records);
        Assert.Equal(value, record.Joined);
        Assert.Equal(strings, record.Strings);
        Assert.Equal(300, record.Ttl);
        await SecondaryAnswersAsync(pair, name, lookup => lookup is TxtLookup.Found { Records: [{ } only] } && only.Joined == value);
    }

    [Fact]
    public async Task A_deleted_record_is_missing_on_both_servers()
    {
        await using var pair = await DnsZonePair.StartAsync();
        var name = $"old._domainkey.{pair.Zone}";
        await pair.SetTxtOnPrimaryAsync(name, "v=DKIM1; k=rsa; p=retired");

        var reason = await _dns.DeleteTxtAsync(Target(pair), name, default);

        Assert.Null(reason);
        Assert.IsType<TxtLookup.Missing>(await _dns.TxtAsync(Primary(pair), name, default));
        await SecondaryAnswersAsync(pair, name, lookup => lookup is TxtLookup.Missing);
    }

    [Fact]
    public async Task A_wrong_secret_or_a_name_outside_the_policy_is_a_reason_that_never_holds_the_secret()
    {
        await using var pair = await DnsZonePair.StartAsync();
        var name = $"s1._domainkey.{pair.Zone}";
        await pair.SetTxtOnPrimaryAsync(name, "v=DKIM1; k=rsa; p=kept");
        var wrongSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        var badKey = await _dns.ReplaceTxtAsync(Target(pair) with { Secret = wrongSecret }, name, 300, ["v=DKIM1; k=rsa; p=evil"], default);
        var outsidePolicy = await _dns.ReplaceTxtAsync(Target(pair), $"www.{pair.Zone}", 300, ["v=spf1 -all"], default);

        Assert.NotNull(badKey);
        Assert.Contains("TSIG key \"reconciler-update\" not accepted", badKey);
        Assert.Contains("REFUSED", outsidePolicy);
        foreach (var reason in new[] { badKey, outsidePolicy! })
        {
            Assert.DoesNotContain(wrongSecret, reason);
            Assert.DoesNotContain(pair.TsigSecret, reason);
            Assert.InRange(reason.Length, 1, 200);
        }

        var kept = Assert.Single(Assert.IsType<TxtLookup.Found>(await _dns.TxtAsync(Primary(pair), name, default)).Records);
        Assert.Equal("v=DKIM1; k=rsa; p=kept", kept.Joined);
    }

    [Fact]
    public async Task A_stopped_secondary_is_unreachable()
    {
        await using var pair = await DnsZonePair.StartAsync();
        var name = $"s1._domainkey.{pair.Zone}";
        await pair.SetTxtOnPrimaryAsync(name, "v=DKIM1; k=rsa; p=x");

        await pair.StopSecondaryAsync();
        var clock = Stopwatch.StartNew();
        var lookup = await _dns.TxtAsync(new Nameserver(pair.SecondaryName, pair.SecondaryAddress), name, default);

        var reason = Assert.IsType<TxtLookup.Unreachable>(lookup).Reason;
        Assert.Contains(pair.SecondaryAddress.ToString(), reason);
        Assert.True(clock.Elapsed < AuthoritativeDnsOptions.Default.CallDeadline, $"took {clock.Elapsed}");
        Assert.IsType<TxtLookup.Found>(await _dns.TxtAsync(Primary(pair), name, default));
    }

    private static DnsUpdateTarget Target(DnsZonePair pair) =>
        new(new IPEndPoint(pair.PrimaryAddress, 53), pair.Zone, pair.TsigKeyName, pair.TsigAlgorithm, pair.TsigSecret);

    private static Nameserver Primary(DnsZonePair pair) => new(pair.PrimaryName, pair.PrimaryAddress);

    /// <summary>What a 4096-bit RSA key's DKIM record holds: its public key (SubjectPublicKeyInfo, 550 bytes) in base64.</summary>
    private static string DkimValue()
    {
        using var rsa = RSA.Create(4096);
        return "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
    }

    private async Task SecondaryAnswersAsync(DnsZonePair pair, string name, Func<TxtLookup, bool> expected)
    {
        var secondary = new Nameserver(pair.SecondaryName, pair.SecondaryAddress);
        var clock = Stopwatch.StartNew();
        var lookup = await _dns.TxtAsync(secondary, name, default);
        while (!expected(lookup) && clock.Elapsed < SecondaryFollows)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            lookup = await _dns.TxtAsync(secondary, name, default);
        }

        Assert.True(expected(lookup), $"the secondary ({pair.SecondaryAddress}) still answers {lookup} for {name} after {SecondaryFollows.TotalSeconds} s");
    }
}
