using Reconciler.Core.Dns;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Resources.Dkim;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Providers.Dkim;

/// <summary>
/// <c>apply --plan</c> stays true for dkim: a saved plan's fingerprint holds exactly what decides — the nameservers'
/// answers and the deadlines the host's clock passed — and not the clock ticking between plan and apply.
/// </summary>
public sealed class DkimSavedPlanTests
{
    /// <summary>
    /// Class: a saved plan's fingerprint holds what decides and nothing that merely moves. The host's clock ticks between
    /// plan and apply, so it is not in it; the deadlines the clock passed are (a key's TTL passing between plan and apply
    /// changes the decision — it may now switch signing — while the action stays "update"); the nameservers' answers are.
    /// </summary>
    [Fact]
    public async Task A_saved_plan_stays_true_as_the_clock_ticks_and_goes_stale_when_a_deadline_or_an_answer_changes()
    {
        var d = DkimControllerTests.Domain();
        var serves = new FakeDns { Txt = (_, _) => new TxtLookup.Found([new TxtRecord(DkimTxt.Strings(DkimTxt.Value(DkimControllerTests.Key)), 300)]) };
        var key = PlanKey.Ephemeral;
        async Task<string> Fingerprint(long now, FakeDns dns)
        {
            var lines = DkimControllerTests.Answer(d, now, seen: 1_800_000_000 - 100);
            var observed = ProviderHarness.Parse(DkimControllerTests.Providers.For(d), [d], lines)[0];
            return LiveFingerprint.Of(await new DkimProvider().ObserveAsync(d, observed, new ControllerPorts(dns), CancellationToken.None), key);
        }

        var planned = await Fingerprint(1_800_000_000, serves);

        Assert.Equal(planned, await Fingerprint(1_800_000_001, serves));
        Assert.NotEqual(planned, await Fingerprint(1_800_000_000 + 200, serves)); // seen + TTL 300 passed
        Assert.NotEqual(planned, await Fingerprint(1_800_000_000, new FakeDns()));  // the nameservers stopped serving it
    }

    /// <summary>Why a server did not answer varies with timing; that it did not is what the gate decides on, and what a saved plan holds.</summary>
    [Fact]
    public async Task An_unreachable_servers_reason_does_not_make_a_saved_plan_stale_its_status_does()
    {
        var d = DkimControllerTests.Domain();
        var key = PlanKey.Ephemeral;
        async Task<string> Fingerprint(Func<Nameserver, string, TxtLookup> txt)
        {
            var observed = ProviderHarness.Parse(DkimControllerTests.Providers.For(d), [d], DkimControllerTests.Answer(d))[0];
            return LiveFingerprint.Of(await new DkimProvider().ObserveAsync(d, observed, new ControllerPorts(new FakeDns { Txt = txt }), CancellationToken.None), key);
        }

        var planned = await Fingerprint((_, _) => new TxtLookup.Unreachable("no answer from 192.0.2.2:53 within 3 s (2 tries over UDP)"));

        Assert.Equal(planned, await Fingerprint((_, _) => new TxtLookup.Unreachable("no answer from 192.0.2.2:53 within 3 s (2 tries over UDP; 1 datagrams that were no answer to the query were ignored)")));
        Assert.NotEqual(planned, await Fingerprint((_, _) => new TxtLookup.Missing()));
    }
}
