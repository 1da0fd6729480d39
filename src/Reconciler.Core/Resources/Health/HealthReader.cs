using Reconciler.Core.Diagnostics;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Health;

/// <summary>
/// <c>health: [ { name, inodes_used_max, space_used_max, memory_available_min, syn_recv_max, mount_count_below_max,
/// load_per_cpu_max } ]</c>: the schema has checked types and ranges (percentages 0-100, counts ≥ 0); this keeps the rules
/// in the order written, each with its own location, and refuses an entry that checks nothing.
/// </summary>
internal static class HealthReader
{
    public const string Section = "health";

    public static IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading)
    {
        foreach (var item in file.Items(Section).OfType<SpecMapping>())
        {
            var name = item.Scalar("name")!;
            var errors = reading.Diagnostics.Count;
            void Error(string message, SourceLocation at) => reading.Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, message, at));
            if (!HealthKind.IsName(name.RawText))
            {
                Error($"health name '{PathRules.Printable(name.RawText)}' does not match {HealthKind.NamePattern}", name.Location);
            }

            var rules = new List<HealthRule>();
            foreach (var entry in item.Entries.Where(e => HealthRules.All.Contains(e.Key.RawText)))
            {
                var rule = entry.Key.RawText;
                switch (entry.Value)
                {
                    case SpecScalar { Value: bool on }:
                        // mount_count_below_max: false declares the check off: no rule.
                        if (on) rules.Add(new HealthRule(rule, 1, entry.Key.Location));
                        break;
                    case SpecScalar { Value: long or double } number:
                        var limit = Convert.ToDouble(number.Value, System.Globalization.CultureInfo.InvariantCulture);
                        if (!double.IsFinite(limit)) Error($"{rule}: '{number.RawText}' is not a number", number.Location);
                        else rules.Add(new HealthRule(rule, limit, entry.Key.Location));
                        break;
                }
            }

            if (rules.Count == 0 && reading.Diagnostics.Count == errors)
            {
                Error($"health[{name.RawText}] checks nothing: declare at least one of {string.Join(", ", HealthRules.All)}", item.Location);
            }

            if (reading.Diagnostics.Count > errors) continue;
            yield return new ResourceDeclaration(new HealthResource(name.RawText, rules, item.Location), null);
        }
    }
}
