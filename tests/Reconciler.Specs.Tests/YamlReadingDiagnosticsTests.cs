using System.Text;

namespace Reconciler.Specs.Tests;

/// <summary>Bytes and YAML: what reaches the parser, and what the parser must survive.</summary>
public sealed class YamlReadingDiagnosticsTests : IDisposable
{
    private readonly SpecDirectory _specs = new SpecDirectory().WithDefaultInventory();

    public void Dispose() => _specs.Dispose();

    [Fact]
    public void Syntax_error_is_reported_where_the_parser_stopped()
    {
        _specs.Write("bad.yaml", "kind: resources\ntarget: \"abc\n");

        Assert.Equal(
            $"{_specs.Path("bad.yaml")}:2:9: error RC1001: YAML syntax: While scanning a quoted scalar, found unexpected end of stream.",
            _specs.Diagnostics());
    }

    /// <summary>Issue 21: a syntax error shows the line it is on, the line before, and a caret under the column.</summary>
    [Fact]
    public void Syntax_error_carries_an_excerpt_with_a_caret()
    {
        _specs.Write("bad.yaml", "kind: resources\ntarget: { group: all }\nfiles:\n  - path: \"/etc/a\n    mode: 0644\n");

        var diagnostic = Assert.Single(_specs.Load().Diagnostics);

        Assert.Equal("  3 | files:\n  4 |   - path: \"/etc/a\n    |           ^", diagnostic.Excerpt);
    }

    [Fact]
    public void At_the_end_of_the_file_the_caret_points_after_the_last_line_with_text()
    {
        Assert.Equal(
            "  3 | files:\n  4 |   - { path: /etc/x\n    |                   ^ the file ends here; something opened above is not closed",
            Reconciler.Specs.Yaml.SourceExcerpt.At("kind: resources\ntarget: {}\nfiles:\n  - { path: /etc/x\n\n", 6, 1));
    }

    [Fact]
    public void Parser_failure_outside_its_own_error_type_is_still_a_syntax_error()
    {
        // YamlDotNet throws InvalidOperationException rather than YamlException for this unclosed flow mapping.
        _specs.Write("bad.yaml", "kind: resources\ntarget: { group: all\nfiles: []\n");

        Assert.Equal(
            $"{_specs.Path("bad.yaml")}:3:1: error RC1001: invalid YAML: the parser could not continue here (check brackets, braces and quotes)",
            _specs.Diagnostics());
    }

    [Fact]
    public void A_second_document_is_rejected()
    {
        _specs.Write("two.yaml", "kind: resources\ntarget: { group: all }\n---\nkind: resources\n");

        Assert.Equal(
            $"{_specs.Path("two.yaml")}:3:1: error RC1001: only one YAML document per file is allowed",
            _specs.Diagnostics());
    }

    [Fact]
    public void Duplicate_key_is_reported_at_the_second_naming_the_first_line()
    {
        _specs.Write("dup.yaml", "kind: resources\ntarget: { group: all }\nfiles:\n  - path: /etc/a\n    mode: 644\n    mode: 600\n");

        Assert.Equal(
            $"{_specs.Path("dup.yaml")}:6:5: error RC1002: duplicate key 'mode' (first defined on line 5)",
            _specs.Diagnostics());
    }

    [Fact]
    public void Billion_laughs_alias_bomb_is_stopped_at_the_alias_that_exceeds_the_budget()
    {
        var bomb = new StringBuilder("kind: resources\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 1; level <= 9; level++)
        {
            var previous = $"*a{level - 1}";
            bomb.Append($"a{level}: &a{level} [{string.Join(", ", Enumerable.Repeat(previous, 10))}]\n");
        }

        _specs.Write("bomb.yaml", bomb.ToString());

        // *a3 stands for 11,111 nodes; the eighth of them in a4 (line 6, column 45) pushes the total past 100,000.
        Assert.Equal(
            $"{_specs.Path("bomb.yaml")}:6:45: error RC1003: alias expansion exceeds 100000 nodes",
            _specs.Diagnostics());
    }

    [Fact]
    public void Ten_thousand_nested_sequences_are_rejected_without_exhausting_the_stack()
    {
        _specs.Write("deep.yaml", "kind: resources\nx: " + new string('[', 10_000) + new string(']', 10_000) + "\n");

        // The mapping is level 1, so the 64th bracket (column 67) opens level 65.
        Assert.Equal(
            $"{_specs.Path("deep.yaml")}:2:67: error RC1006: nesting is deeper than 64 levels",
            _specs.Diagnostics());
    }

    [Fact]
    public void Deep_block_nesting_is_rejected_too()
    {
        var yaml = new StringBuilder("kind: resources\n");
        for (var level = 0; level < 100; level++)
        {
            yaml.Append(new string(' ', level)).Append("k:\n");
        }

        _specs.Write("deep.yaml", yaml + new string(' ', 100) + "v\n");

        // The mapping that starts on line n is level n - 1, so level 65 starts on line 66 at column 65.
        Assert.Equal(
            $"{_specs.Path("deep.yaml")}:66:65: error RC1006: nesting is deeper than 64 levels",
            _specs.Diagnostics());
    }

    [Fact]
    public void File_over_one_mebibyte_is_not_parsed()
    {
        _specs.Write("big.yaml", "kind: resources\n# " + new string('x', 2 * 1024 * 1024) + "\n");

        Assert.Equal(
            $"{_specs.Path("big.yaml")}:1:1: error RC1004: file is 2097171 bytes; the limit is 1048576 bytes (1 MiB)",
            _specs.Diagnostics());
    }

    [Fact]
    public void Invalid_utf8_is_reported_at_the_first_bad_byte()
    {
        byte[] text = [.. "kind: resources\ntarget: { group: all }\n# h\u00e9llo "u8, 0xC3, 0x28, .. "\n"u8];
        _specs.WriteBytes("latin1.yaml", text);

        Assert.Equal(
            $"{_specs.Path("latin1.yaml")}:3:9: error RC1005: file is not valid UTF-8 text (first invalid byte here)",
            _specs.Diagnostics());
    }

    [Fact]
    public void Binary_garbage_is_a_diagnostic_not_a_crash()
    {
        var garbage = new byte[4096];
        new Random(42).NextBytes(garbage);
        _specs.WriteBytes("garbage.yml", garbage);

        var line = _specs.Diagnostics();

        Assert.StartsWith($"{_specs.Path("garbage.yml")}:1:", line);
        Assert.Contains(": error RC1005: file is not valid UTF-8 text", line);
    }

    [Fact]
    public void Valid_utf8_control_characters_are_a_syntax_error()
    {
        _specs.WriteBytes("control.yaml", [.. "kind: resources\n"u8, 0x00, 0x01, 0x02, 0x7F]);

        Assert.Equal(
            $"{_specs.Path("control.yaml")}:2:2: error RC1001: YAML syntax: While parsing a block mapping, did not find expected key.",
            _specs.Diagnostics());
    }

    [Fact]
    public void Unreadable_file_is_reported()
    {
        File.CreateSymbolicLink(Path.Combine(_specs.Root, "dangling.yaml"), Path.Combine(_specs.Root, "nowhere"));

        var line = _specs.Diagnostics();

        Assert.StartsWith($"{_specs.Path("dangling.yaml")}:1:1: error RC1007: cannot read file: ", line);
    }

    [Fact]
    public void Empty_file_and_unknown_kind_are_reported()
    {
        _specs.Write("empty.yaml", "# only a comment\n")
            .Write("typo.yaml", "kind: resource\n")
            .Write("list.yaml", "- kind: resources\n");

        Assert.Equal(
            $"""
            {_specs.Path("empty.yaml")}:1:1: error RC2002: file is empty; expected 'kind: inventory' or 'kind: resources'
            {_specs.Path("list.yaml")}:1:1: error RC2002: file is not a mapping; expected 'kind: inventory' or 'kind: resources'
            {_specs.Path("typo.yaml")}:1:7: error RC2002: unknown kind 'resource'; expected 'kind: inventory' or 'kind: resources'; did you mean 'resources'?
            """,
            _specs.Diagnostics());
    }
}
