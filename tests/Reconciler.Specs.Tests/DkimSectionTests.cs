using Reconciler.Core.Resources.Dkim;
using Reconciler.Core.Secrets;
using Reconciler.Specs;

namespace Reconciler.Specs.Tests;

/// <summary>
/// The dkim section: the seed's choices that no longer hold (dkimproxy, DomainKeys, a 768-bit key) are refused with the
/// replacement named; names that end up in DNS, paths and shell are refused outside their grammar; the TSIG secret is a
/// reference and never appears in a message.
/// </summary>
public sealed class DkimSectionTests : IDisposable
{
    private const string Tsig = "c2VjcmV0LXRzaWcta2V5LXZhbHVlLTEyMzQ1Njc4OTA=";
    private static readonly SecretStore Secrets = new(new Dictionary<string, string> { ["dkim_tsig"] = Tsig });
    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    private string Diagnostics() => string.Join("\n", new SpecLoader(Secrets).Load(_specs.Root).Diagnostics.Select(d => d.ToString()));

    private void Write(string domain) => _specs.WithDefaultInventory().Write("d.yaml", $$"""
        kind: resources
        target: { group: all }
        dkim:
        {{domain}}
        """);

    private const string Dns = """
            dns: { zone: example.test, rfc2136: { server: 192.0.2.1, key_name: reconciler-update, secret: { secret: dkim_tsig } } }
        """;

    [Fact]
    public void A_domain_is_read_with_its_selectors_dns_and_defaults()
    {
        Write($$"""
              - domain: example.test
            {{Dns}}
                selectors:
                  - name: default
                  - { name: s2026b, bits: 4096, state: published }
            """);

        var result = new SpecLoader(Secrets).Load(_specs.Root);

        Assert.Empty(result.Diagnostics);
        var d = Assert.IsType<DkimDomainResource>(Assert.Single(result.State!.Hosts[0].Resources));
        Assert.Equal("dkim[example.test]", d.Address.ToString());
        Assert.Equal([("default", 2048, SelectorState.Active), ("s2026b", 4096, SelectorState.Published)], d.Selectors.Select(s => (s.Name, s.Bits, s.State)));
        var rfc = Assert.IsType<DkimDns.Rfc2136>(d.Dns);
        Assert.Equal(("192.0.2.1:53", "reconciler-update", "hmac-sha256", Tsig), (rfc.Endpoint().ToString(), rfc.KeyName, rfc.Algorithm, rfc.Secret));
        Assert.Equal((300, TimeSpan.FromDays(7), 891), (d.Ttl, d.KeepAfterSwitch, d.MilterPort));
        Assert.DoesNotContain(Tsig, d.ToString());
        Assert.DoesNotContain(Tsig, rfc.ToString());
    }

    [Fact]
    public void The_seeds_dkimproxy_domainkeys_and_768_bit_key_are_refused_naming_the_replacement()
    {
        Write($$"""
              - domain: example.test
                signer: dkimproxy
                signatures: [dkim, domainkeys]
            {{Dns}}
                selectors:
                  - { name: default, bits: 768 }
            """);

        var lines = Diagnostics().Split('\n');

        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith(_specs.Path("d.yaml") + ":5:13: error RC3012: signer dkimproxy is not packaged in Debian 12") && l.Contains("use signer: opendkim"));
        Assert.Contains(lines, l => l.StartsWith(_specs.Path("d.yaml") + ":6:24: error RC3012: DomainKeys signatures are historic (RFC 4870"));
        Assert.Contains(lines, l => l.Contains("error RC3012: a 768-bit key is refused: RFC 8301 forbids DKIM keys under 1024 bits"));
    }

    [Theory]
    [InlineData("selectors: [{ name: \"s.2026\" }]", "selectors[0].name")]
    [InlineData("selectors: [{ name: \"s 2026\" }]", "selectors[0].name")]
    [InlineData("selectors: [{ name: \"s\\n2026\" }]", "selectors[0].name")]
    public void A_selector_with_a_dot_space_or_newline_is_refused_at_validate(string selectors, string path)
    {
        Write($$"""
              - domain: example.test
            {{Dns}}
                {{selectors}}
            """);

        var diagnostics = Diagnostics();

        Assert.Contains($"error RC2001: dkim[0].{path}", diagnostics);
        Assert.DoesNotContain("\n2026", diagnostics);
    }

    [Theory]
    [InlineData("example.test.")]
    [InlineData("example..test")]
    [InlineData("exa mple.test")]
    [InlineData("example.test\\nevil")]
    [InlineData("Example.test")]
    public void A_zone_outside_the_domain_grammar_is_refused_at_validate(string zone)
    {
        Write($$"""
              - domain: example.test
                dns: { zone: "{{zone}}", manual: {} }
                selectors: [{ name: default }]
            """);

        Assert.Contains("error RC2001: dkim[0].dns.zone", Diagnostics());
    }

    [Fact]
    public void A_zone_that_does_not_hold_the_domain_and_two_active_selectors_are_errors()
    {
        Write($$"""
              - domain: example.test
                dns: { zone: other.test, rfc2136: { server: 192.0.2.1, key_name: k, secret: { secret: dkim_tsig } } }
                selectors: [{ name: a }, { name: b }]
            """);

        var diagnostics = Diagnostics();

        Assert.Contains("records cannot live in zone other.test", diagnostics);
        Assert.Contains("declares 2 active selectors (a, b)", diagnostics);
        Assert.DoesNotContain(Tsig, diagnostics);
    }

    [Fact]
    public void An_inline_tsig_secret_is_a_schema_error_that_does_not_repeat_it()
    {
        Write("""
              - domain: example.test
                dns: { zone: example.test, rfc2136: { server: 192.0.2.1, key_name: k, secret: "aW5saW5lLXNlY3JldC12YWx1ZS0x" } }
                selectors: [{ name: a }]
            """);

        var diagnostics = Diagnostics();

        Assert.Contains("error RC2001: dkim[0].dns.rfc2136.secret: expected mapping, got string", diagnostics);
        Assert.DoesNotContain("aW5saW5lLXNlY3JldC12YWx1ZS0x", diagnostics);
    }

    [Fact]
    public void A_host_whose_postfix_does_not_hand_mail_to_opendkim_is_told_what_to_declare()
    {
        _specs.WithDefaultInventory().Write("d.yaml", $$"""
            kind: resources
            target: { group: all }
            postfix:
              main:
                myorigin: $myhostname
            dkim:
              - domain: example.test
            {{Dns}}
                selectors: [{ name: default }]
            """);

        var diagnostics = Diagnostics();

        Assert.Contains("postfix does not hand mail to opendkim: declare postfix main smtpd_milters: inet:127.0.0.1:891", diagnostics);
        Assert.Contains("declare postfix main non_smtpd_milters: $smtpd_milters", diagnostics);
    }

    /// <summary>Class: what one declaration makes a run do is bounded (each selector is asked of every nameserver in every plan).</summary>
    [Fact]
    public void More_than_16_selectors_for_one_domain_are_refused()
    {
        var selectors = string.Join(", ", Enumerable.Range(0, 17).Select(i => $"{{ name: s{i}, state: published }}"));
        Write($$"""
              - domain: example.test
            {{Dns}}
                selectors: [{{selectors}}]
            """);

        var diagnostics = Diagnostics();

        Assert.Contains("d.yaml:6:16: error RC2001: dkim[0].selectors: too many items", diagnostics);
    }

    /// <summary>
    /// Class: the milter's port is one only root can bind. Any local user can listen on 127.0.0.1:8891 while opendkim is
    /// down or restarting (each config change restarts it), and Postfix then hands that user every mail to read and rewrite.
    /// </summary>
    [Fact]
    public void A_milter_port_a_local_user_could_bind_is_refused()
    {
        Write($$"""
              - domain: example.test
                milter_port: 8891
            {{Dns}}
                selectors: [{ name: default }]
            """);

        Assert.Contains("dkim[0].milter_port", Diagnostics());
    }
}
