using Reconciler.Core.Diagnostics;
using Reconciler.Core.Resources.Postfix;
using Reconciler.Core.Secrets;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Postfix;

/// <summary>
/// Reads one schema-valid item of <c>postfix: { maps: [...] }</c> into a <see cref="PostfixMapResource"/>: the
/// password is resolved (inline, or <c>{ secret: NAME }</c>), and what the schema cannot say is checked here — a map
/// is either a <c>query</c> or the seed's <c>table</c>/<c>select_field</c>/<c>where_field</c>, never both.
/// </summary>
internal static class PostfixMapReader
{
    private static readonly string[] LegacyKeys = ["table", "select_field", "where_field", "additional_conditions"];

    private static readonly string[] RequiredLegacyKeys = ["table", "select_field", "where_field"];

    /// <summary>postfix's own files in config_directory: a map must not take their names.</summary>
    private static readonly string[] ReservedNames = ["main.cf", "master.cf", "dynamicmaps.cf"];

    /// <summary>Null when the item has errors (they are added to <paramref name="diagnostics"/>).</summary>
    public static PostfixMapResource? Read(SpecMapping item, SecretStore secrets, ICollection<Diagnostic> diagnostics)
    {
        var errorsBefore = diagnostics.Count;
        var name = item.Scalar("name")!;
        if (ReservedNames.Contains(name.RawText, StringComparer.Ordinal))
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue,
                $"'{name.RawText}' is postfix's own file; name the map something else (e.g. mysql_virtual_alias_maps.cf)", name.Location));
        }

        var query = item.Find("query");
        var legacy = LegacyKeys.Select(item.Find).OfType<SpecMappingEntry>().ToList();
        if (query is not null && legacy.Count > 0)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.Schema,
                $"'query' and '{legacy[0].Key.RawText}' are mutually exclusive: give either a query, or table, select_field and where_field (with optional additional_conditions)",
                legacy[0].Key.Location));
        }
        else if (query is null && RequiredLegacyKeys.Where(k => item.Find(k) is null).ToList() is { Count: > 0 } missing)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.Schema,
                $"a mysql map needs either 'query', or 'table', 'select_field' and 'where_field'; missing: {string.Join(", ", missing)}",
                item.Location));
        }

        var settings = new List<KeyValuePair<string, string>>();
        foreach (var key in PostfixMapResource.MysqlKeys.Where(k => k != PostfixMapResource.PasswordKey))
        {
            if (item.Scalar(key) is { } value)
            {
                CheckOneLine(value.RawText, key, value.Location, diagnostics);
                settings.Add(new(key, value.RawText));
            }
        }

        string? password = null;
        if (item.Find(PostfixMapResource.PasswordKey) is { } entry)
        {
            password = SecretReferences.Resolve(entry.Value, secrets, diagnostics);
            if (password is not null)
            {
                CheckOneLine(password, PostfixMapResource.PasswordKey, entry.Value.Location, diagnostics);
            }
        }

        PostfixMapProbe? probe = null;
        if (item.Mapping("probe") is { } probeItem)
        {
            var key = probeItem.Scalar("key")!;
            CheckOneLine(key.RawText, "probe key", key.Location, diagnostics);
            var expect = probeItem.Scalar("expect");
            if (expect is not null)
            {
                CheckOneLine(expect.RawText, "probe expect", expect.Location, diagnostics);
            }

            probe = new PostfixMapProbe(key.RawText, expect?.RawText);
        }

        return diagnostics.Count > errorsBefore
            ? null
            : new PostfixMapResource(name.RawText, item.Text("type") ?? "mysql", settings, password, probe, item.Location);
    }

    /// <summary>mysql_table(5) reads one line per setting and strips the value's surrounding whitespace. Never echoes the value.</summary>
    private static void CheckOneLine(string value, string what, SourceLocation location, ICollection<Diagnostic> diagnostics)
    {
        if (value.Length == 0 || value.Contains('\n') || value.Contains('\r') || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue,
                $"{what}: must be one non-empty line without leading or trailing whitespace (postfix's table files are read that way)", location));
        }
    }
}
