using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Resources;
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
    private readonly KindCatalog _kinds = ResourceKinds.Default;

    public SpecLoader()
        : this(SecretStore.Empty)
    {
    }

    /// <summary>Reads the kinds of <paramref name="kinds"/> instead of the build's catalog (a kind tried out before it joins it).</summary>
    public SpecLoader(SecretStore secrets, KindCatalog kinds)
        : this(secrets) => _kinds = kinds;

    /// <summary>With other template limits and clock: tests spend a budget by counting, not by waiting.</summary>
    internal SpecLoader(SecretStore secrets, TemplateLimits templateLimits, TimeProvider clock)
        : this(secrets)
    {
        _templateLimits = templateLimits;
        _clock = clock;
    }

    public SpecLoadResult Load(string specsDirectory) => Load(specsDirectory, Directory.GetCurrentDirectory());

    /// <param name="displayRoot">Paths in diagnostics and sources are shown relative to this directory.</param>
    public SpecLoadResult Load(string specsDirectory, string displayRoot) => Load(new DirectorySpecTree(specsDirectory), displayRoot);

    /// <summary>
    /// Loads the specs of any <see cref="ISpecTree"/>: a directory on disk, or a git commit's directory read from git
    /// objects (named as in the repository when <paramref name="displayRoot"/> is the repository's root).
    /// </summary>
    /// <param name="reviewed">
    /// For a change's specs, the base's inventory: what it lists, not what the change's inventory lists, decides what the
    /// change may manage. Null: this tree's own inventory is the reviewed one (a directory, a commit, an apply).
    /// </param>
    public SpecLoadResult Load(ISpecTree tree, string displayRoot, ReviewedInventory? reviewed = null)
    {
        var diagnostics = new List<Diagnostic>();
        var paths = new DisplayPaths(displayRoot);
        var specsRoot = new SpecsRoot(tree);
        var rootLocation = new SourceLocation(paths.Of(tree.Location), 1, 1);
        var budget = new SpecRunBudget(diagnostics);
        var files = budget.Files(FindSpecFiles(specsRoot, rootLocation, diagnostics, paths), file => paths.Of(specsRoot.Full(file)));

        var inventories = new List<(SourceLocation KindLocation, HostInventory? Inventory)>();
        var resourceFiles = new List<ResourceFile>();
        var sensitiveValues = new List<string>();
        foreach (var file in files)
        {
            var displayPath = paths.Of(specsRoot.Full(file));
            if (ReadFile(tree, file, displayPath, budget, diagnostics) is not { } parsed)
            {
                if (budget.Spent) break;
                continue;
            }

            var (kind, mapping) = parsed;
            var schema = SpecSchemas.For(kind, _kinds, mapping.Entries.Select(e => e.Key.RawText));
            sensitiveValues.AddRange(SensitiveValueCollector.Collect(SpecJson.From(mapping).Root, schema));
            var schemaErrors = SpecSchemaValidator.Validate(mapping, schema);
            diagnostics.AddRange(schemaErrors);
            var kindLocation = mapping.Find("kind")!.Key.Location;
            if (kind == SpecFileKind.Inventory)
            {
                inventories.Add((kindLocation, schemaErrors.Count == 0
                    ? InventoryReader.Read(mapping, displayPath, tree.Location, diagnostics, reviewed?.Inventory)
                    : null));
            }
            else if (schemaErrors.Count == 0 && ResourceFileReader.Read(mapping, displayPath, new ReferencedFiles(specsRoot, paths, DirectoryOf(file)), secrets, _kinds, diagnostics) is { } resources)
            {
                if (!budget.Declared(resources)) break;
                resourceFiles.Add(resources);
            }
        }

        var inventory = SingleInventory(inventories, rootLocation, diagnostics);
        // Nothing is realized past the run's budget: a group target multiplies declarations by the hosts a PR may add.
        // One template budget per reading of the specs: all renders of this run, every template and host, draw on it.
        var templateBudget = new TemplateRunBudget(_templateLimits, _clock);
        var hosts = budget.Spent || (inventory is not null && !budget.Realizable(inventory, resourceFiles))
            ? null
            : new DesiredStateAssembler(specsRoot, paths, diagnostics, secrets, templateBudget, sensitiveValues, _kinds).Assemble(inventory, resourceFiles);
        if (inventory is not null && hosts is not null)
        {
            // The maintainers' list of MariaDB objects specs may manage: for a change, the base's (a pull request cannot
            // grant itself what it asks for); otherwise this tree's own.
            diagnostics.AddRange(MariaDbScopeCheck.Check(reviewed?.Inventory ?? inventory, hosts));
        }
        var ordered = diagnostics
            .OrderBy(d => d.Location.File, StringComparer.Ordinal)
            .ThenBy(d => d.Location.Line)
            .ThenBy(d => d.Location.Column)
            .ToList();
        var hasErrors = ordered.Any(d => d.Severity == Severity.Error);
        return new SpecLoadResult(hasErrors || hosts is null ? null : new DesiredState(hosts) { Parallel = inventory?.Parallel }, ordered, sensitiveValues)
        {
            Inventory = inventory is null ? null : new ReviewedInventory(inventory),
        };
    }

    private static string DirectoryOf(string treePath) => treePath.LastIndexOf('/') is var slash and >= 0 ? treePath[..slash] : "";

    /// <summary>Every *.yaml and *.yml file below the root, as tree paths in ordinal order, each checked before it is read.</summary>
    private static IReadOnlyList<string> FindSpecFiles(SpecsRoot specsRoot, SourceLocation rootLocation, List<Diagnostic> diagnostics, DisplayPaths paths)
    {
        var tree = specsRoot.Tree;
        if (tree.EntryAt("") != SpecTreeEntry.Directory)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnreadableFile, "specs directory does not exist or is not a directory", rootLocation));
            return [];
        }

        try
        {
            var found = new List<string>();
            List(tree, "", found);
            return found
                .OrderBy(f => f, StringComparer.Ordinal)
                .Where(f => IsReadable(specsRoot, f, diagnostics, paths))
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnreadableFile, $"cannot list specs directory: {e.Message}", rootLocation));
            return [];
        }
    }

    /// <summary>
    /// Hidden entries (such as .git) are skipped: they are never specs. Linked directories are not entered (they may lead
    /// out of the specs or loop); a linked file is listed and then checked like any other reference.
    /// </summary>
    private static void List(ISpecTree tree, string directory, List<string> found)
    {
        foreach (var name in tree.Names(directory).Where(n => !n.StartsWith('.')))
        {
            var path = directory.Length == 0 ? name : directory + "/" + name;
            if (tree.EntryAt(path) == SpecTreeEntry.Directory)
            {
                List(tree, path, found);
            }
            else if (name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            {
                found.Add(path);
            }
        }
    }

    /// <summary>A spec file that is a link leading out of the specs directory, or a FIFO, is refused unread.</summary>
    private static bool IsReadable(SpecsRoot specsRoot, string path, List<Diagnostic> diagnostics, DisplayPaths paths)
    {
        if (specsRoot.ProblemWithListed(path) is not { } problem)
        {
            return true;
        }

        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.OutsideSpecs, $"spec file refused: {problem}", new SourceLocation(paths.Of(specsRoot.Full(path)), 1, 1)));
        return false;
    }

    /// <summary>Reads, parses and classifies one file; null when it cannot be validated further.</summary>
    private static (SpecFileKind Kind, SpecMapping Root)? ReadFile(ISpecTree tree, string path, string displayPath, SpecRunBudget budget, List<Diagnostic> diagnostics)
    {
        var text = SpecTextFile.TryRead(tree, path, displayPath, diagnostics);
        if (text is null || !budget.Read(displayPath, text))
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
