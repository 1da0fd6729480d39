using Reconciler.Core.Diagnostics;
using Reconciler.Core.Resources.Firewall;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Firewall;

/// <summary>Reads a schema-valid <c>firewall:</c> section, reporting bad addresses, list-file lines and duplicate names.</summary>
internal static class FirewallSectionReader
{
    /// <summary>Duplicate entries are harmless to ipset; a few are named, the rest counted, so a messy list stays readable.</summary>
    private const int DuplicatesNamed = 5;

    public static FirewallSection Read(SpecMapping section, ISpecFiles files, ICollection<Diagnostic> diagnostics)
    {
        // Rule names become comments in one chain, so block sets and flag rules share one namespace.
        var names = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var sets = new List<BlockSet>();
        foreach (var item in section.Items("block_sets").Cast<SpecMapping>())
        {
            var name = item.Scalar("name")!;
            CheckUnique(names, name, diagnostics);
            sets.Add(new BlockSet(name.RawText, ReadEntries(item, files, diagnostics), Action(item), item.Location));
        }

        var rules = new List<FlagRule>();
        foreach (var item in section.Items("flag_rules").Cast<SpecMapping>())
        {
            var name = item.Scalar("name")!;
            CheckUnique(names, name, diagnostics);
            var mask = Flags(item, "mask");
            var set = Flags(item, "set").Where(f => f != "NONE").ToList();
            if (item["set"] is SpecSequence setNode && Flags(item, "set").Contains("NONE") && set.Count > 0)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, "NONE cannot be combined with other flags", setNode.Location));
            }

            var outside = set.Where(f => f != "ALL" && !mask.Contains(f) && !mask.Contains("ALL")).ToList();
            if (outside.Count > 0 || (set.Contains("ALL") && !mask.Contains("ALL")))
            {
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.InvalidValue,
                    $"'set' flags must be among the 'mask' flags (iptables only examines the mask); not in mask: {string.Join(", ", set.Contains("ALL") ? ["ALL"] : outside)}",
                    item["set"]!.Location));
            }

            rules.Add(new FlagRule(name.RawText, mask, set, Action(item), item.Location));
        }

        return new FirewallSection(sets, rules, section.Location);
    }

    private static void CheckUnique(Dictionary<string, SourceLocation> names, SpecScalar name, ICollection<Diagnostic> diagnostics)
    {
        if (!names.TryAdd(name.RawText, name.Location))
        {
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.DuplicateName,
                $"firewall name '{name.RawText}' is already used at {names[name.RawText]}; block sets and flag rules share one chain and need distinct names",
                name.Location));
        }
    }

    private static IReadOnlyList<BlockEntry> ReadEntries(SpecMapping item, ISpecFiles files, ICollection<Diagnostic> diagnostics)
    {
        var found = new List<(BlockEntry Entry, SourceLocation Location)>();
        foreach (var scalar in item.Items("entries").Cast<SpecScalar>())
        {
            if (BlockEntry.Parse(scalar.RawText.Trim(), out var error) is { } entry)
            {
                found.Add((entry, scalar.Location));
            }
            else
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidAddress, error!, scalar.Location));
            }
        }

        if (item.Scalar("entries_file") is { } file && files.ListFile(file, BlockListText.MaxBytes, diagnostics) is { } list)
        {
            found.AddRange(BlockListText.Parse(list, diagnostics));
        }

        // The same network written twice (10.0.0.1 and 10.0.0.1/32, or a CIDR with host bits) is one ipset member.
        var first = new Dictionary<BlockEntry, SourceLocation>();
        var duplicates = new List<(BlockEntry Entry, SourceLocation Location)>();
        foreach (var (entry, location) in found)
        {
            if (!first.TryAdd(entry, location))
            {
                duplicates.Add((entry, location));
            }
        }

        foreach (var (entry, location) in duplicates.Take(DuplicatesNamed))
        {
            diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.DuplicateName, $"{entry.Text} is already listed at {first[entry]}", location));
        }

        if (duplicates.Count > DuplicatesNamed)
        {
            diagnostics.Add(Diagnostic.Warning(
                DiagnosticCodes.DuplicateName,
                $"{duplicates.Count - DuplicatesNamed} more duplicate entries in block set '{item.Text("name")}'",
                duplicates[DuplicatesNamed].Location));
        }

        return first.Keys.ToList();
    }

    private static List<string> Flags(SpecMapping item, string key) =>
        item.Items(key).Cast<SpecScalar>().Select(s => s.RawText).ToList();

    private static RuleAction Action(SpecMapping item) => item.Text("action") == "REJECT" ? RuleAction.Reject : RuleAction.Drop;
}
