using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Ldap;

/// <summary>
/// <c>ldap_db_configs: [ { directory, service, cachesize, rule, lg_bsize, lg_regionmax, other } ]</c>: every rule the
/// schema cannot say, as a diagnostic at its line. The schema has already checked types, ranges and the line grammar.
/// </summary>
internal static class LdapDbConfigReader
{
    public const string Section = "ldap_db_configs";

    /// <summary>Directives the typed keys write: declared once, with their key.</summary>
    private static readonly Dictionary<string, string> Typed = new(StringComparer.Ordinal)
    {
        ["set_cachesize"] = "cachesize",
        ["set_lg_bsize"] = "lg_bsize",
        ["set_lg_regionmax"] = "lg_regionmax",
    };

    public static IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading)
    {
        foreach (var item in file.Items(Section).OfType<SpecMapping>())
        {
            var errors = reading.Diagnostics.Count;
            void Error(string code, string message, SourceLocation at) => reading.Diagnostics.Add(Diagnostic.Error(code, message, at));
            var directory = item.Scalar("directory")!;
            if (PathRules.Problem(directory.RawText) is { } problem) Error(DiagnosticCodes.PathNotNormalized, problem, directory.Location);
            else if (directory.RawText == "/") Error(DiagnosticCodes.InvalidValue, "the root directory is not a database directory", directory.Location);

            var service = item.Scalar("service");
            if (service is not null && !LdapNames.IsServiceName(service.RawText))
            {
                Error(DiagnosticCodes.InvalidValue, $"service name '{PathRules.Printable(service.RawText)}' does not match {Services.ServiceKind.NamePattern}", service.Location);
            }

            DbCacheSize? cache = null;
            var auto = false;
            switch (item["cachesize"])
            {
                case SpecScalar { RawText: "auto" }:
                    auto = true;
                    break;
                case SpecMapping size:
                    cache = new DbCacheSize(Long(size, "gbytes") ?? 0, Long(size, "bytes") ?? 0, (int)(Long(size, "ncache") ?? 1));
                    if (cache.Total == 0) Error(DiagnosticCodes.InvalidValue, "cachesize: a cache of 0 bytes; give bytes (or gbytes), or auto", size.Location);
                    break;
            }

            var rule = item.Scalar("rule");
            if (rule is not null && !auto)
            {
                Error(DiagnosticCodes.InvalidValue, "rule says how cachesize: auto is computed; declare cachesize: auto, or leave rule out", rule.Location);
            }

            var other = new List<string>();
            foreach (var line in (item["other"] as SpecSequence)?.Items.OfType<SpecScalar>() ?? [])
            {
                if (!LdapNames.IsDbConfigLine(line.RawText))
                {
                    Error(DiagnosticCodes.InvalidValue, $"'{PathRules.Printable(line.RawText)}' is not one DB_CONFIG directive line (a directive and its arguments, one space apart, printable ASCII)", line.Location);
                }
                else if (Typed.TryGetValue(line.RawText.Split(' ')[0], out var key))
                {
                    Error(DiagnosticCodes.InvalidValue, $"{line.RawText.Split(' ')[0]} is declared with its own key ({key})", line.Location);
                }

                other.Add(line.RawText);
            }

            var lgBsize = Long(item, "lg_bsize");
            var lgRegionmax = Long(item, "lg_regionmax");
            if (cache is null && !auto && lgBsize is null && lgRegionmax is null && other.Count == 0)
            {
                Error(DiagnosticCodes.InvalidValue, "nothing for DB_CONFIG: declare cachesize, lg_bsize, lg_regionmax or other", item.Location);
            }

            if (reading.Diagnostics.Count > errors) continue;
            yield return new ResourceDeclaration(new LdapDbConfigResource(
                directory.RawText, service?.RawText ?? LdapDbConfigResource.DefaultService, cache, auto,
                rule?.RawText == "load" ? DbCacheRule.Load : DbCacheRule.Run, lgBsize, lgRegionmax, other, item.Location), null);
        }
    }

    private static long? Long(SpecMapping mapping, string key) => mapping.Scalar(key)?.Value is long n ? n : null;
}
