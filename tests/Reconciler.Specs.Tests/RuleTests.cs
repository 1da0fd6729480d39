using Reconciler.Core.Diagnostics;
using Reconciler.Core.Specs;
using Reconciler.Specs.Schema;
using Reconciler.Specs.Validation;
using Reconciler.Specs.Yaml;

namespace Reconciler.Specs.Tests;

/// <summary>The small rules on their own, where a table shows the edge cases better than whole spec files.</summary>
public sealed class RuleTests
{
    [Theory]
    [InlineData("", null)]
    [InlineData("~", null)]
    [InlineData("Null", null)]
    [InlineData("true", true)]
    [InlineData("FALSE", false)]
    [InlineData("no", "no")]
    [InlineData("on", "on")]
    [InlineData("0644", 644L)]
    [InlineData("-12", -12L)]
    [InlineData("0o17", 15L)]
    [InlineData("0x1F", 31L)]
    [InlineData("1.5", 1.5)]
    [InlineData("1e3", 1000.0)]
    [InlineData(".inf", double.PositiveInfinity)]
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("99999999999999999999", 1e20)]
    public void Plain_scalars_follow_the_yaml_1_2_core_schema(string text, object? expected) =>
        Assert.Equal(expected, CoreSchemaScalar.Resolve(text, isPlain: true, tag: null));

    [Theory]
    [InlineData("true")]
    [InlineData("644")]
    [InlineData("")]
    public void Quoted_scalars_are_always_strings(string text) =>
        Assert.Equal(text, CoreSchemaScalar.Resolve(text, isPlain: false, tag: null));

    [Theory]
    [InlineData("/", null)]
    [InlineData("/etc/ssh/sshd_config", null)]
    [InlineData("/etc/../shadow", "path '/etc/../shadow' is not normalized (it contains '/../'); write '/shadow'")]
    [InlineData("/etc/a\nb", "path '/etc/a\\nb' contains a NUL or newline character")]
    [InlineData("", "path '' is not absolute")]
    public void Paths_must_be_absolute_and_normalized(string path, string? problem) =>
        Assert.Equal(problem, PathRules.Problem(path));

    [Theory]
    [InlineData("644", null)]
    [InlineData("0644", null)]
    [InlineData("1777", null)]
    [InlineData("4750", null)]
    [InlineData("64", "mode '64' is not 3 or 4 octal digits (0000-7777)")]
    [InlineData("0o644", "mode '0o644' is not 3 or 4 octal digits (0000-7777)")]
    [InlineData("8000", "mode '8000' is not 3 or 4 octal digits (0000-7777)")]
    public void Modes_are_three_or_four_octal_digits(string mode, string? problem) =>
        Assert.Equal(problem, ValueRules.ModeProblem(mode));

    [Theory]
    [InlineData("10.0.0.11", true)]
    [InlineData("::1", true)]
    [InlineData("2001:db8::5", true)]
    [InlineData("web1", true)]
    [InlineData("web-1.example.com.", true)]
    [InlineData("10.0.1", false)]
    [InlineData("10.0.0.011.1", false)]
    [InlineData("2001:db8:::5", false)]
    [InlineData("web_1.example.com", false)]
    [InlineData("web1..example.com", false)]
    public void Addresses_are_ip_addresses_or_dns_names(string address, bool valid) =>
        Assert.Equal(valid, AddressRules.IsValid(address));

    [Fact]
    public void Rsa_sha2_algorithms_accept_an_ssh_rsa_key_blob_and_drop_the_comment()
    {
        // "ssh-rsa" blob header followed by a stand-in exponent; only the header is inspected.
        const string rsaBlob = "AAAAB3NzaC1yc2EAAAADAQAB";

        Assert.Equal(($"rsa-sha2-512 {rsaBlob}", (string?)null), HostKeyRules.Normalize($"  rsa-sha2-512   {rsaBlob}  root@host "));
        Assert.Equal((null, "host_key data is a 'ssh-rsa' key, not 'ssh-ed25519'"), HostKeyRules.Normalize($"ssh-ed25519 {rsaBlob}"));
        Assert.Equal(((string?)null, "host_key must be '<algorithm> <base64>' (as in known_hosts) or 'SHA256:<fingerprint>'"), HostKeyRules.Normalize("ssh-rsa"));
    }

    [Fact]
    public void A_pasted_ssh_keyscan_line_is_told_apart_from_an_unknown_algorithm()
    {
        Assert.Equal(
            ((string?)null, "host_key starts with the host field '[127.0.0.1]:32877' of a known_hosts or ssh-keyscan line: keep only " +
                            "'ssh-ed25519 <base64>', or print the line to paste with `reconciler host-key ADDRESS[:PORT]`"),
            HostKeyRules.Normalize("[127.0.0.1]:32877 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEJtUxuTy1r6MvOdi/hrxqJP1BUicmr5R1J+UvnLsnqs"));
    }

    [Fact]
    public void Fingerprints_are_normalized_without_padding()
    {
        Assert.Equal(
            ("SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU", (string?)null),
            HostKeyRules.Normalize("SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="));
    }

    [Theory]
    [InlineData("mod", "; did you mean 'mode'?")]
    [InlineData("mdoe", "; did you mean 'mode'?")]
    [InlineData("identityfile", "; did you mean 'identity_file'?")]
    [InlineData("x", "")]
    [InlineData("banana", "")]
    public void Suggestions_are_offered_only_for_near_misses(string typed, string suggestion) =>
        Assert.Equal(suggestion, DidYouMean.Suggest(typed, ["mode", "path", "identity_file", "owner"]));

    [Theory]
    [InlineData("/work/specs/inventory.yaml", "inventory.yaml")]
    [InlineData("/work/specs/hosts/web1.yaml", "hosts/web1.yaml")]
    [InlineData("/work/other/x.yaml", "/work/other/x.yaml")]
    [InlineData("/work/specs-old/x.yaml", "/work/specs-old/x.yaml")]
    public void Display_paths_are_relative_inside_the_working_directory_and_absolute_outside(string full, string shown) =>
        Assert.Equal(shown, new DisplayPaths("/work/specs").Of(full));
}
