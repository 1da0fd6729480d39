using System.Net;
using System.Security.Cryptography;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Dkim;

namespace Reconciler.Core.Tests.Providers.Dkim;

/// <summary>
/// The gate, on observations made by hand: each run takes exactly the next safe step of a rotation, never signs with a
/// key not served by every nameserver for a TTL, and keeps the old key signing until the new one may.
/// </summary>
public sealed class DkimGateTests
{
    private const long Now = 1_800_000_000;
    private static readonly string OldKey = PublicKey(2048);
    private static readonly string NewKey = PublicKey(2048);
    private static readonly string[] Servers = ["ns1.example.test (192.0.2.1)", "ns2.example.test (192.0.2.2)"];

    private static string PublicKey(int bits)
    {
        using var rsa = RSA.Create(bits);
        return Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
    }

    private static DkimDomainResource Domain(params (string Name, SelectorState State)[] selectors) => new(
        "example.test", selectors.Select(s => new DkimSelector(s.Name, 2048, s.State, new SourceLocation("s.yaml", 1, 1))).ToList(),
        new DkimDns.Rfc2136("example.test", "192.0.2.1", 53, "reconciler-update", "hmac-sha256", "c2VjcmV0c2VjcmV0c2VjcmV0"),
        300, TimeSpan.FromDays(7), [], 891, new SourceLocation("s.yaml", 1, 1));

    private static DkimKeyObserved Key(string selector, string? pub, long? seen = null, long? unsigned = null) =>
        pub is null
            ? new DkimKeyObserved(selector, "none", null, null, null, null, null, null, null)
            : new DkimKeyObserved(selector, "file", "600", "opendkim", "opendkim", pub, seen, unsigned, DkimTxt.RecordedDigest(pub));

    private static NameserverAnswer Serves(string server, string? pub) =>
        pub is null ? new(server, NameserverStatus.Missing, null, 0) : new(server, NameserverStatus.ServesThis, null, 300);

    private static DkimObserved Observed(string? signing, IReadOnlyList<DkimKeyObserved> keys, Dictionary<string, NameserverAnswer[]> dns, Dictionary<string, NameserverAnswer>? primary = null)
    {
        var signingTable = signing is null ? [] : new[] { KeyValuePair.Create("*@example.test", $"{signing}._domainkey.example.test") };
        var keyTable = signing is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [$"{signing}._domainkey.example.test"] = $"example.test:{signing}:{DkimPaths.KeyFile("example.test", signing)}" };
        var host = new DkimHostFacts(Now, true, true, DkimPaths.ConfigFiles.ToDictionary(f => f, _ => (string?)null), signingTable, keyTable);
        var selectors = dns.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<NameserverAnswer>)kv.Value);
        var primaries = primary ?? dns.ToDictionary(kv => kv.Key, kv => kv.Value[0] with { Server = "primary (192.0.2.1)" });
        return new DkimObserved(host, keys, true, new DkimDnsObserved(null, Servers, selectors, primaries))
        {
            KeyDirectory = new DkimKeyObserved("", "directory", "750", "root", "opendkim", null, null, null, null),
        };
    }

    private static ResourceChange Diff(DkimDomainResource d, DkimObserved o) => ((IResourceProvider)new DkimProvider()).Diff(d, o);

    [Fact]
    public void A_new_domain_makes_its_key_and_signs_nothing_yet()
    {
        var d = Domain(("default", SelectorState.Active));
        var o = Observed(null, [Key("default", null)], new() { ["default"] = [Serves(Servers[0], null), Serves(Servers[1], null)] });

        var decision = DkimGate.Decide(d, o);
        var change = Diff(d, o);

        Assert.Equal(["default"], decision.MakeKeys.Select(s => s.Name));
        Assert.Empty(decision.Publish);
        Assert.Null(decision.SigningAfter);
        Assert.Equal(ChangeAction.Create, change.Action);
        Assert.Contains("published by the next", change.Note);
    }

    [Fact]
    public void A_made_key_missing_on_the_primary_is_published_and_each_nameserver_is_shown()
    {
        var d = Domain(("default", SelectorState.Active));
        var o = Observed(null, [Key("default", OldKey)], new() { ["default"] = [Serves(Servers[0], null), Serves(Servers[1], null)] });

        var decision = DkimGate.Decide(d, o);
        var change = Diff(d, o);

        var (selector, value) = Assert.Single(decision.Publish);
        Assert.Equal("default", selector);
        Assert.Equal($"v=DKIM1; k=rsa; p={OldKey}", value);
        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Contains(change.Attributes, a => a.Name.Text == $"default @ {Servers[1]}" && a.Before is PlanValue.Text { Value: "does not serve it" });
        Assert.Null(decision.SigningAfter);
    }

    [Fact]
    public void Served_everywhere_is_recorded_first_and_signs_only_after_the_ttl()
    {
        var d = Domain(("default", SelectorState.Active));
        Dictionary<string, NameserverAnswer[]> both = new() { ["default"] = [Serves(Servers[0], OldKey), Serves(Servers[1], OldKey)] };

        var unseen = DkimGate.Decide(d, Observed(null, [Key("default", OldKey)], both));
        Assert.Equal(["default"], unseen.RecordSeen);
        Assert.False(unseen.SwitchesSigning);

        var early = Diff(d, Observed(null, [Key("default", OldKey, seen: Now - 100)], both));
        Assert.Equal(ChangeAction.Skip, early.Action);
        Assert.Contains("TTL (300s)", early.Note);

        var due = DkimGate.Decide(d, Observed(null, [Key("default", OldKey, seen: Now - 300)], both));
        Assert.True(due.SwitchesSigning);
        Assert.Equal("default", due.SigningAfter);
    }

    [Fact]
    public void A_lagging_or_stopped_secondary_keeps_the_old_key_signing_and_names_the_nameserver()
    {
        var d = Domain(("default", SelectorState.Published), ("s2026b", SelectorState.Active));
        var o = Observed("default", [Key("default", OldKey, seen: Now - 9999), Key("s2026b", NewKey, seen: Now - 9999)], new()
        {
            ["default"] = [Serves(Servers[0], OldKey), Serves(Servers[1], OldKey)],
            ["s2026b"] = [Serves(Servers[0], NewKey), new NameserverAnswer(Servers[1], NameserverStatus.Unreachable, "timed out", 0)],
        });

        var decision = DkimGate.Decide(d, o);
        var change = Diff(d, o);

        Assert.False(decision.SwitchesSigning);
        Assert.Equal("default", decision.SigningAfter);
        Assert.Equal(["s2026b"], decision.ClearSeen);
        Assert.Contains($"{Servers[1]} is unreachable for s2026b yet", change.Note);
    }

    [Fact]
    public void A_wrong_key_on_a_nameserver_is_named_and_the_switch_refused()
    {
        var d = Domain(("default", SelectorState.Published), ("s2026b", SelectorState.Active));
        var wrong = new NameserverAnswer(Servers[1], NameserverStatus.ServesOther, DkimTxt.Fingerprint(OldKey), 300);
        var o = Observed("default", [Key("default", OldKey, seen: Now - 9999), Key("s2026b", NewKey, seen: Now - 9999)], new()
        {
            ["default"] = [Serves(Servers[0], OldKey), Serves(Servers[1], OldKey)],
            ["s2026b"] = [Serves(Servers[0], NewKey), wrong],
        });

        var change = Diff(d, o);

        Assert.Equal("default", DkimGate.Decide(d, o).SigningAfter);
        Assert.Contains($"{Servers[1]} serves another key for s2026b", change.Note);
        Assert.Contains(change.Attributes, a => a.Name.Text == $"s2026b @ {Servers[1]}" && a.Before is PlanValue.Text t && t.Value.Contains(DkimTxt.Fingerprint(OldKey)));
    }

    [Fact]
    public void The_switch_moves_signing_and_records_when_the_old_key_stopped()
    {
        var d = Domain(("default", SelectorState.Published), ("s2026b", SelectorState.Active));
        var o = Observed("default", [Key("default", OldKey, seen: Now - 9999), Key("s2026b", NewKey, seen: Now - 301)], new()
        {
            ["default"] = [Serves(Servers[0], OldKey), Serves(Servers[1], OldKey)],
            ["s2026b"] = [Serves(Servers[0], NewKey), Serves(Servers[1], NewKey)],
        });

        var decision = DkimGate.Decide(d, o);

        Assert.True(decision.SwitchesSigning);
        Assert.Equal("s2026b", decision.SigningAfter);
        Assert.Equal("default", decision.StopsSigning);
        var signing = Assert.Single(Diff(d, o).Attributes, a => a.Name == DkimAttributeNames.Signing);
        Assert.Equal(new PlanValue.Text("default"), signing.Before);
        Assert.Equal(new PlanValue.Text("s2026b"), signing.After);
    }

    [Fact]
    public void Retiring_waits_for_keep_after_switch_then_deletes_the_record_and_the_key()
    {
        var d = Domain(("default", SelectorState.Retired), ("s2026b", SelectorState.Active));
        Dictionary<string, NameserverAnswer[]> dns = new()
        {
            ["default"] = [Serves(Servers[0], OldKey), Serves(Servers[1], OldKey)],
            ["s2026b"] = [Serves(Servers[0], NewKey), Serves(Servers[1], NewKey)],
        };

        var kept = Diff(d, Observed("s2026b", [Key("default", OldKey, seen: 1, unsigned: Now - 3600), Key("s2026b", NewKey, seen: 1)], dns));
        Assert.Equal(ChangeAction.Skip, kept.Action);
        Assert.Contains("keep_after_switch", kept.Note);

        var o = Observed("s2026b", [Key("default", OldKey, seen: 1, unsigned: Now - 8 * 86400), Key("s2026b", NewKey, seen: 1)], dns);
        var decision = DkimGate.Decide(d, o);
        var change = Diff(d, o);
        Assert.Equal(["default"], decision.Unpublish);
        Assert.Equal(["default"], decision.Retire);
        Assert.True(change.Effects.HasFlag(ChangeEffects.DeletesData));
        Assert.Contains(change.Attributes, a => a.Name == DkimAttributeNames.Record("default") && a.After is PlanValue.Deleted);
    }

    [Fact]
    public void A_key_that_still_signs_is_not_retired()
    {
        var d = Domain(("default", SelectorState.Retired), ("s2026b", SelectorState.Active));
        var o = Observed("default", [Key("default", OldKey, seen: 1), Key("s2026b", null)], new()
        {
            ["default"] = [Serves(Servers[0], OldKey), Serves(Servers[1], OldKey)],
            ["s2026b"] = [Serves(Servers[0], null), Serves(Servers[1], null)],
        });

        var decision = DkimGate.Decide(d, o);

        Assert.Empty(decision.Retire);
        Assert.Empty(decision.Unpublish);
        Assert.Contains(decision.Refused, r => r.Contains("default still signs"));
    }

    [Fact]
    public void Tables_signing_with_an_undeclared_selector_block_the_domain_and_are_left_alone()
    {
        var d = Domain(("s2026b", SelectorState.Active));
        var o = Observed("rogue", [Key("s2026b", NewKey, seen: 1)], new() { ["s2026b"] = [Serves(Servers[0], NewKey), Serves(Servers[1], NewKey)] });

        var decision = DkimGate.Decide(d, o);
        var change = Diff(d, o);

        Assert.False(decision.TablesKnown);
        Assert.False(decision.SwitchesSigning);
        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Contains("rogue, which is not declared", change.Note);
    }

    [Fact]
    public void A_key_replaced_on_the_host_is_refused_not_republished()
    {
        var d = Domain(("default", SelectorState.Active));
        var replaced = Key("default", NewKey, seen: 1) with { RecordedPublic = DkimTxt.RecordedDigest(OldKey) };
        var o = Observed("default", [replaced], new() { ["default"] = [Serves(Servers[0], OldKey), Serves(Servers[1], OldKey)] });

        var change = Diff(d, o);

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Contains("not the one recorded when it was made", change.Note);
        Assert.Empty(DkimGate.Decide(d, o).Publish);
    }

    [Fact]
    public void Under_manual_dns_a_signing_key_missing_on_a_nameserver_is_drift_naming_it()
    {
        var d = Domain(("default", SelectorState.Active)) with { Dns = new DkimDns.Manual("example.test", null) };
        var o = Observed("default", [Key("default", OldKey, seen: 1)], new() { ["default"] = [Serves(Servers[0], OldKey), Serves(Servers[1], null)] });

        var change = Diff(d, o);

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Contains($"default signs, but {Servers[1]} does not serve it", change.Note);
        Assert.Contains("add by hand: default._domainkey.example.test 300 IN TXT", change.Note);
    }

    [Fact]
    public void A_nameserver_serving_a_ttl_of_years_holds_the_switch_a_day_at_most()
    {
        var d = Domain(("default", SelectorState.Active));
        NameserverAnswer Long(string server) => new(server, NameserverStatus.ServesThis, null, int.MaxValue);
        Dictionary<string, NameserverAnswer[]> both = new() { ["default"] = [Long(Servers[0]), Long(Servers[1])] };

        Assert.Contains("TTL (86400s)", Diff(d, Observed(null, [Key("default", OldKey, seen: Now - 86399)], both)).Note);
        Assert.True(DkimGate.Decide(d, Observed(null, [Key("default", OldKey, seen: Now - 86400)], both)).SwitchesSigning);
    }

    [Theory]
    [InlineData(2048)]
    [InlineData(4096)]
    public void A_record_is_split_into_255_byte_strings_and_compared_joined(int bits)
    {
        var key = PublicKey(bits);
        var value = DkimTxt.Value(key);

        var strings = DkimTxt.Strings(value);

        Assert.All(strings, s => Assert.InRange(s.Length, 1, 255));
        Assert.Equal(value, string.Concat(strings));
        Assert.Equal(bits > 2048 ? 3 : 2, strings.Count);
        // Joined whatever the split: a provider that cuts elsewhere (or folds with spaces) serves the same key.
        var other = value[..100] + value[100..];
        Assert.Equal(key, DkimTxt.PublicKeyOf(other.Replace("p=", "p= ")));
        Assert.Equal(bits, DkimTxt.Bits(key));
    }
}
