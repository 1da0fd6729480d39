using System.Diagnostics;
using System.Net;
using DnsClient;
using Reconciler.Integration.Tests.Fixtures;

namespace Reconciler.Integration.Tests;

/// <summary>
/// The zone fixture the DKIM tests stand on, proven against itself: the zone says who serves it, an update reaches
/// the primary at once and the secondary within seconds, the key may only touch _domainkey, and a stopped secondary
/// lags until it is started again. Each test starts its own pair of BIND servers.
/// </summary>
public sealed class DnsZonePairTests
{
    // NOTIFY arrives at once and a missed one is made up by the 5 s SOA refresh; 15 s leaves room for a slow machine.
    private static readonly TimeSpan SecondaryFollows = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task The_zone_names_both_servers_with_glue_and_both_answer_authoritatively()
    {
        await using var pair = await DnsZonePair.StartAsync();

        foreach (var server in new[] { pair.PrimaryAddress, pair.SecondaryAddress })
        {
            var nameservers = (await pair.DigAsync(server, pair.Zone, "NS")).Split('\n').Order();
            Assert.Equal([pair.PrimaryName + ".", pair.SecondaryName + "."], nameservers);
            Assert.Equal(pair.PrimaryAddress.ToString(), await pair.DigAsync(server, pair.PrimaryName, "A"));
            Assert.Equal(pair.SecondaryAddress.ToString(), await pair.DigAsync(server, pair.SecondaryName, "A"));
        }
    }

    [Fact]
    public async Task The_test_process_reaches_both_servers_on_their_bridge_ips()
    {
        await using var pair = await DnsZonePair.StartAsync();

        foreach (var server in new[] { pair.PrimaryAddress, pair.SecondaryAddress })
        {
            var client = new LookupClient(new LookupClientOptions(new IPEndPoint(server, 53))
            {
                UseCache = false,
                Recursion = false,
                Timeout = TimeSpan.FromSeconds(2),
                Retries = 1,
                ThrowDnsErrors = true,
            });
            var response = await client.QueryAsync(pair.Zone, QueryType.SOA);
            Assert.True(response.Header.HasAuthorityAnswer, $"{server} answers {pair.Zone} SOA without the AA bit");
            Assert.Equal(pair.PrimaryName + ".", Assert.Single(response.Answers.SoaRecords()).MName.Value);
        }
    }

    [Fact]
    public async Task A_txt_set_on_the_primary_is_answered_there_at_once_and_by_the_secondary_within_seconds()
    {
        await using var pair = await DnsZonePair.StartAsync();
        var name = $"s1._domainkey.{pair.Zone}";

        await pair.SetTxtOnPrimaryAsync(name, "v=DKIM1; k=rsa; p=first");

        Assert.Equal("\"v=DKIM1; k=rsa; p=first\"", await pair.DigAsync(pair.PrimaryAddress, name));
        await SecondaryAnswersAsync(pair, name, "\"v=DKIM1; k=rsa; p=first\"");
    }

    [Fact]
    public async Task A_value_longer_than_255_bytes_is_one_record_of_several_strings()
    {
        await using var pair = await DnsZonePair.StartAsync();
        var name = $"long._domainkey.{pair.Zone}";
        var key = new string('A', 300);

        await pair.SetTxtOnPrimaryAsync(name, $"v=DKIM1; k=rsa; p={key}");

        var expected = $"\"v=DKIM1; k=rsa; p={key[..237]}\" \"{key[237..]}\"";
        Assert.Equal(expected, await pair.DigAsync(pair.PrimaryAddress, name));
    }

    [Fact]
    public async Task The_key_may_update_txt_under_domainkey_only()
    {
        await using var pair = await DnsZonePair.StartAsync();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => pair.SetTxtOnPrimaryAsync($"www.{pair.Zone}", "not a DKIM record"));

        Assert.Contains("REFUSED", refused.Message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await pair.DigAsync(pair.PrimaryAddress, $"www.{pair.Zone}"));
    }

    [Fact]
    public async Task A_stopped_secondary_keeps_the_old_value_and_catches_up_once_started()
    {
        await using var pair = await DnsZonePair.StartAsync();
        var name = $"s1._domainkey.{pair.Zone}";
        await pair.SetTxtOnPrimaryAsync(name, "v=DKIM1; p=old");
        await SecondaryAnswersAsync(pair, name, "\"v=DKIM1; p=old\"");

        // Given the secondary is down while the record changes
        await pair.StopSecondaryAsync();
        await pair.SetTxtOnPrimaryAsync(name, "v=DKIM1; p=new");

        // Then only the primary has the new value: the secondary answers nothing at all
        Assert.Equal("\"v=DKIM1; p=new\"", await pair.DigAsync(pair.PrimaryAddress, name));
        await Assert.ThrowsAsync<InvalidOperationException>(() => pair.DigAsync(pair.SecondaryAddress, name));

        // When it is started again it answers from its own copy first, then catches up
        await pair.StartSecondaryAsync();
        var firstAnswer = await pair.DigAsync(pair.SecondaryAddress, name);
        Assert.Contains(firstAnswer, new[] { "\"v=DKIM1; p=old\"", "\"v=DKIM1; p=new\"" });
        await SecondaryAnswersAsync(pair, name, "\"v=DKIM1; p=new\"");
    }

    private static async Task SecondaryAnswersAsync(DnsZonePair pair, string name, string expected)
    {
        var clock = Stopwatch.StartNew();
        var answer = await pair.DigAsync(pair.SecondaryAddress, name);
        while (answer != expected && clock.Elapsed < SecondaryFollows)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            answer = await pair.DigAsync(pair.SecondaryAddress, name);
        }

        Assert.True(answer == expected,
            $"the secondary ({pair.SecondaryAddress}) still answers '{answer}' for {name} after {SecondaryFollows.TotalSeconds} s, not '{expected}'");
    }
}
