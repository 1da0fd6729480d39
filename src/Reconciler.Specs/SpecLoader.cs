using System.IO.Enumeration;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Secrets;
using Reconciler.Core.Specs;
using Reconciler.Specs.Files;
using Reconciler.Specs.Inventory;
using Reconciler.Specs.Resources;
using Reconciler.Specs.Schema;
using Reconciler.Specs.Templates;
using Reconciler.Specs.Yaml;

namespace Reconciler.Specs;

/// <summary>
/// Loads a specs directory (every *.yaml and *.yml below it) into the desired state, reporting every problem found
/// in one run rather than stopping at the first. Bad input never throws; it becomes diagnostics.
/// </summary>
public sealed class SpecLoader(SecretStore secrets)
{
    private readonly TemplateLimits _templateLimits = TemplateLimits.Default;
    private readonly TimeProvider _clock = TimeProvider.System;

    public SpecLoader()
        : this(SecretStore.Empty)
    {
    }

    /// <summary>With other template limits and clock: tests spend a budget by counting, not by waiting.</summary>
    internal SpecLoader(SecretStore secrets, TemplateLimits templateLimits, TimeProvider clock)
        : this(secrets)
    {
        _templateLimits = templateLimits;
        _clock = clock;
    }

    public SpecLoadResult Load(string specsDirectory) => Load(specsDirectory, Directory.GetCurrentDirectory());

    /// <param name="displayRoot">Paths in diagnostics and sources are shown relative to this directory: specs read out
    /// of a git commit into a temporary directory are then named as in the repository.</param>
    public SpecLoadResult Load(string specsDirectory, string displayRoot)
    {
        var diagnostics = new List<Diagnostic>();
        var paths = new DisplayPaths(displayRoot);
        var specsRoot = new SpecsRoot(specsDirectory);
        var root = specsRoot.Directory;
        var rootLocation = new SourceLocation(paths.Of(root), 1, 1);
        var files = FindSpecFiles(specsRoot, rootLocation, diagnostics, paths);

        var inventories = new List<(SourceLocation KindLocation, HostInventory? Inventory)>();
        var resourceFiles = new List<ResourceFile>();
        var sensitiveValues = new List<string>();
        foreach (var file in files)
        {
            var displayPath = paths.Of(file);
            if (ReadFile(file, displayPath, diagnostics) is not { } parsed)
            {
                continue;
            }

            var (kind, mapping) = parsed;
            sensitiveValues.AddRange(SensitiveValueCollector.Collect(SpecJson.From(mapping).Root, SpecSchemas.For(kind)));
            var schemaErrors = SpecSchemaValidator.Validate(mapping, kind);
            diagnostics.AddRange(schemaErrors);
            var kindLocation = mapping.Find("kind")!.Key.Location;
            if (kind == SpecFileKind.Inventory)
            {
                inventories.Add((kindLocation, schemaErrors.Count == 0
                    ? InventoryReader.Read(mapping, displayPath, root, diagnostics)
                    : null));
            }
            else if (schemaErrors.Count == 0 && ResourceFileReader.Read(mapping, displayPath, new ReferencedFiles(specsRoot, paths, Path.GetDirectoryName(file)!), secrets, diagnostics) is { } resources)
            {
                resourceFiles.Add(resources);
            }
        }

        var inventory = SingleInventory(inventories, rootLocation, diagnostics);
        // One template budget per reading of the specs: all renders of this run, every template and host, draw on it.
        var templateBudget = new TemplateRunBudget(_templateLimits, _clock);
        var hosts = new DesiredStateAssembler(paths, diagnostics, secrets, templateBudget, sensitiveValues).Assemble(inventory, resourceFiles);
        var ordered = diagnostics
            .OrderBy(d => d.Location.File, StringComparer.Ordinal)
            .ThenBy(d => d.Location.Line)
            .ThenBy(d => d.Location.Column)
            .ToList();
        var hasErrors = ordered.Any(d => d.Severity == Severity.Error);
        return new SpecLoadResult(hasErrors || hosts is null ? null : new DesiredState(hosts), ordered, sensitiveValues);
    }

    private static IReadOnlyList<string> FindSpecFiles(SpecsRoot specsRoot, SourceLocation rootLocation, List<Diagnostic> diagnostics, DisplayPaths paths)
    {
        var root = specsRoot.Directory;
        if (!Directory.Exists(root))
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnreadableFile, "specs directory does not exist or is not a directory", rootLocation));
            return [];
        }

        try
        {
            // Hidden entries (such as .git) are skipped: they are never specs. Linked directories are not entered (they
            // may lead out of the specs or loop); a linked file is listed and then checked like any other reference.
            var options = new EnumerationOptions { RecurseSubdirectories = true };
            var listing = new FileSystemEnumerable<string>(root, (ref FileSystemEntry entry) => entry.ToFullPath(), options)
            {
                ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory,
                ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
            };
            return listing
                .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
                    || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                .Select(f => (Full: f, Key: Path.GetRelativePath(root, f).Replace('\\', '/')))
                .OrderBy(f => f.Key, StringComparer.Ordinal)
                .Where(f => IsReadable(specsRoot, f.Full, f.Key, diagnostics, paths))
                .Select(f => f.Full)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnreadableFile, $"cannot list specs directory: {e.Message}", rootLocation));
            return [];
        }
    }

    /// <summary>A spec file that is a link leading out of the specs directory, or a FIFO, is refused unread.</summary>
    private static bool IsReadable(SpecsRoot specsRoot, string full, string relative, List<Diagnostic> diagnostics, DisplayPaths paths)
    {
        if (specsRoot.ProblemWithListed(relative) is not { } problem)
        {
            return true;
        }

        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.OutsideSpecs, $"spec file refused: {problem}", new SourceLocation(paths.Of(full), 1, 1)));
        return false;
    }

    /// <summary>Reads, parses and classifies one file; null when it cannot be validated further.</summary>
    private static (SpecFileKind Kind, SpecMapping Root)? ReadFile(string file, string displayPath, List<Diagnostic> diagnostics)
    {
        var text = SpecTextFile.TryRead(file, displayPath, diagnostics);
        if (text is null)
        {
            return null;
        }

        var errorsBefore = diagnostics.Count;
        var node = SpecYamlReader.Read(text, displayPath, diagnostics);
        if (diagnostics.Count > errorsBefore)
        {
            return null;
        }

        return SpecFileKindReader.Read(node, displayPath, diagnostics) is { } kind ? (kind, (SpecMapping)node!) : null;
    }

    private static HostInventory? SingleInventory(
        List<(SourceLocation KindLocation, HostInventory? Inventory)> inventories,
        SourceLocation rootLocation,
        List<Diagnostic> diagnostics)
    {
        if (inventories.Count == 0)
        {
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.NoInventory,
                "no inventory: exactly one file with 'kind: inventory' must declare the hosts",
                rootLocation));
            return null;
        }

        foreach (var extra in inventories.Skip(1))
        {
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.DuplicateName,
                $"more than one inventory; the first is {inventories[0].KindLocation.File}",
                extra.KindLocation));
        }

        return inventories.Count == 1 ? inventories[0].Inventory : null;
    }
}
