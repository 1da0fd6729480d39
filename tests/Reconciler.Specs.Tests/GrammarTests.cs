using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Reconciler.Core.Resources.MariaDb;
using Reconciler.Core.Resources.Network;
using Reconciler.Core.Resources.Postfix;
using Reconciler.Core.Resources.Sysctl;
using Reconciler.Core.Specs;
using Reconciler.Specs.Schema;
using Reconciler.Specs.Validation;

namespace Reconciler.Specs.Tests;

/// <summary>
/// Every name or path field has one grammar: the schemas carry the same patterns as the code, and each grammar refuses
/// what a hostile pull request would write (traversal, NUL, newlines, shell syntax, overlong names).
/// </summary>
public sealed class GrammarTests : IDisposable
{
    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    private static readonly string SchemaDirectory = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "schemas");

    /// <summary>The grammars outside any kind (targets, the inventory); each kind's own are paired by KindGrammarTests.</summary>
    public static TheoryData<string, string, string> SchemaPatterns => new()
    {
        { "resources", "properties/target/properties/group/pattern", NameGrammar.InventoryName },
        { "resources", "properties/target/properties/host/pattern", NameGrammar.InventoryName },
        { "inventory", "properties/hosts/patternProperties", NameGrammar.InventoryName },
        { "inventory", "properties/groups/patternProperties", NameGrammar.InventoryName },
        { "inventory", "definitions/host/properties/groups/items/pattern", NameGrammar.InventoryName },
        { "inventory", "definitions/user/pattern", NameGrammar.SshUser },
        { "inventory", "definitions/mariadb/properties/manage/items/pattern", SpecSchemas.AsWritten(MariaDbScope.EntryPattern) },
    };

    [Theory]
    [MemberData(nameof(SchemaPatterns))]
    public void The_schema_carries_the_code_s_pattern(string schema, string pointer, string pattern)
    {
        JsonNode? node = JsonNode.Parse(File.ReadAllText(Path.Combine(SchemaDirectory, schema + ".schema.json")));
        foreach (var part in pointer.Split('/'))
        {
            node = node![part];
        }

        var actual = node is JsonObject patternProperties ? Assert.Single(patternProperties).Key : node!.GetValue<string>();
        Assert.Equal(pattern, actual);
    }

    [Theory]
    [InlineData(NameGrammar.InventoryName, "web1", "db-2.example", "../etc", "web 1", "web1\n", "-web", "a/b", "$(id)")]
    [InlineData(NameGrammar.Account, "www-data", "80000", "../root", "root\0", "root;id", "$(id)", "a b")]
    [InlineData(NameGrammar.SshUser, "deploy", "_svc", "Root", "../x", "deploy\n", "a;b", "$(id)", "x y")]
    [InlineData(DsrRules.InterfaceNamePattern, "eth0.100", "lo", ".", "..", "bad/if", "eth0\n", "averyveryverylongname", "a b")]
    [InlineData(PostfixKind.ServicePattern, "submission", "127.0.0.1:10025", "$(id)", "a\"b", "smtp;id", "a/b", "x\ny", "`id`")]
    [InlineData(PostfixKind.CommandPattern, "smtpd", "/usr/lib/postfix/sbin/smtpd", "$(id)", "a b", "x;y", "x\ny", "`id`", "a\"b")]
    public void Each_grammar_accepts_real_names_and_refuses_hostile_ones(string pattern, string good1, string good2, params string[] bad)
    {
        // As the schema validator matches: .NET's '$' also matches before a final newline, which the loader closes.
        var regex = new Regex(SpecSchemas.Anchored(pattern));
        Assert.True(regex.IsMatch(good1), good1);
        Assert.True(regex.IsMatch(good2), good2);
        foreach (var value in bad)
        {
            Assert.False(regex.IsMatch(value), value);
        }
    }

    [Theory]
    [InlineData("/etc/shadow", null)]
    [InlineData("/", null)]
    [InlineData("etc/shadow", "is not absolute")]
    [InlineData("/etc/../etc/shadow", "'/../'")]
    [InlineData("/etc/./shadow", "'/./'")]
    [InlineData("/etc//shadow", "'//'")]
    [InlineData("/etc/shadow/", "trailing slash")]
    [InlineData("/etc/sha\ndow", "contains a NUL or newline character")]
    [InlineData("/etc/sha\0dow", "contains a NUL or newline character")]
    [InlineData("/etc/sha\u001b[31mdow", "contains a control character")]
    public void Host_paths_are_absolute_normalized_and_plain(string path, string? problem)
    {
        var found = PathRules.Problem(path);
        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.NotNull(found);
            Assert.Contains(problem, found);
            Assert.DoesNotContain('\n', found);
            Assert.DoesNotContain('\0', found);
            Assert.DoesNotContain('\u001b', found);
        }
    }

    [Fact]
    public void A_path_over_path_max_is_refused()
    {
        Assert.Contains("the limit is 4095", PathRules.Problem("/" + new string('a', 5000)));
    }

    [Theory]
    [InlineData("net/../../../etc/shadow")]
    [InlineData("kernel/../../../etc/issue")]
    [InlineData("../dev/urandom")]
    [InlineData("net.ipv4.conf.eth0/100.rp_filter")]
    public void A_sysctl_key_that_could_leave_proc_sys_is_a_spec_error_at_its_line(string key)
    {
        _specs.WithDefaultInventory().Write("r.yaml", $"kind: resources\ntarget: {{ group: all }}\nsysctls:\n  - key: \"{key}\"\n    value: 1\n");

        var text = _specs.Diagnostics();

        Assert.StartsWith($"{_specs.Path("r.yaml")}:4:10: error RC2001: sysctls[0].key: '{key}' does not match the pattern {SysctlKey.Pattern}", text);
    }

    [Theory]
    [InlineData("target: { group: \"all\\n\" }\n", 2)]
    [InlineData("target: { group: all }\nmariadb:\n  databases:\n    - name: \"postfix\\n\"\n", 5)]
    [InlineData("target: { group: all }\nfirewall:\n  flag_rules:\n    - { name: \"syn\\n\", mask: [SYN], set: [SYN] }\n", 5)]
    public void A_trailing_newline_never_slips_through_a_schema_pattern(string body, int line)
    {
        _specs.WithDefaultInventory().Write("r.yaml", "kind: resources\n" + body);

        var text = _specs.Diagnostics();

        Assert.Matches($"^{Regex.Escape(_specs.Path("r.yaml"))}:{line}:[0-9]+: error RC2001: .*\\\\n' does not match the pattern", text);
        Assert.DoesNotContain('\n', text);
    }

    [Fact]
    public void Control_characters_in_values_are_refused()
    {
        _specs.WithDefaultInventory().Write("r.yaml", """
            kind: resources
            target: { group: all }
            sysctls:
              - { key: net.ipv4.ip_forward, value: "1\u001b[2J" }
            config_lines:
              - { path: /etc/login.defs, key: "UM\0ASK", value: "077\u0007" }
            """);

        var file = _specs.Path("r.yaml");
        Assert.Equal(
            $"""
            {file}:4:40: error RC3012: sysctl value must not contain control characters
            {file}:6:35: error RC3012: config line key 'UM\x00ASK' must not contain whitespace, control characters, '=' or '#'
            {file}:6:53: error RC3012: config line value must not contain control characters
            """,
            _specs.Diagnostics());
    }

    [Theory]
    [InlineData("/proc/self/environ")]
    [InlineData("/dev/zero")]
    [InlineData("../../../../../../../sys/kernel/notes")]
    public void An_identity_file_under_proc_sys_or_dev_is_refused(string path)
    {
        _specs.Write("inventory.yaml", $$"""
            kind: inventory
            hosts:
              web1: { address: 10.0.0.1, identity_file: "{{path}}", host_key: ssh-ed25519 KEY }
            """);

        Assert.Equal(
            $"{_specs.Path("inventory.yaml")}:3:45: error RC3015: identity_file '{path}' is not usable: a key file must be a regular file of at most 64 KiB outside /proc, /sys and /dev",
            _specs.Diagnostics());
    }
}
