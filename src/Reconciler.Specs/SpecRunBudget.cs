using Reconciler.Core.Diagnostics;
using Reconciler.Core.Specs;
using Reconciler.Specs.Inventory;
using Reconciler.Specs.Resources;

namespace Reconciler.Specs;

/// <summary>
/// What the specs of one run may make the controller hold: spec files, spec text, declarations, and resources (each
/// declaration once per host it targets). Class closed here: size is bounded per run, not per file — the 1 MiB limit of
/// one file (<see cref="SpecTextFile.MaxBytes"/>) still let fifteen files declare 285,000 sysctls, and a pull request that
/// adds hosts multiplies every group's declarations. Past a limit nothing more is read or realized, and the error names
/// the file (and line) that crossed it. The limits are far above an honest fleet (the sample specs: 9 files, 24 KB,
/// about 250 resources over 3 hosts) and low enough that validate and plan of specs at every limit stay well under 500 MB.
/// </summary>
internal sealed class SpecRunBudget(ICollection<Diagnostic> diagnostics)
{
    /// <summary>Hundreds of hosts with a file each, and their roles, still fit.</summary>
    public const int MaxFiles = 1000;

    /// <summary>Eight times the largest single file; hand-written specs of a large fleet are a few hundred kilobytes.</summary>
    public const long MaxBytes = 8L * 1024 * 1024;

    /// <summary>About 370 KB of the densest YAML (a two-line sysctl each); a large fleet declares a few thousand.</summary>
    public const int MaxDeclarations = 20_000;

    /// <summary>Declarations times the hosts each targets: e.g. 500 hosts with 100 resources each.</summary>
    public const int MaxResources = 50_000;

    private long _bytes;
    private int _declarations;

    /// <summary>True once a limit was crossed: later files are not read.</summary>
    public bool Spent { get; private set; }

    /// <summary>The files to read: all of them, or the first <see cref="MaxFiles"/> with an error at the next one.</summary>
    public IReadOnlyList<string> Files(IReadOnlyList<string> files, Func<string, string> displayPath)
    {
        if (files.Count <= MaxFiles) return files;
        Spend(DiagnosticCodes.RunBudget,
            $"the specs hold {files.Count} spec files; one run reads at most {MaxFiles} (this file and those after it in path order are not read)",
            new SourceLocation(displayPath(files[MaxFiles]), 1, 1));
        return files.Take(MaxFiles).ToList();
    }

    /// <summary>Counts a file's text; false (with the error at the file) when the run's total passes <see cref="MaxBytes"/>.</summary>
    public bool Read(string displayPath, string text)
    {
        _bytes += System.Text.Encoding.UTF8.GetByteCount(text);
        if (_bytes <= MaxBytes) return true;
        Spend(DiagnosticCodes.RunBudget,
            $"this file brings the specs to {_bytes} bytes; one run reads at most {MaxBytes} bytes ({MaxBytes / 1024 / 1024} MiB) of specs " +
            "(this file and those after it in path order are not read)",
            new SourceLocation(displayPath, 1, 1));
        return false;
    }

    /// <summary>Counts a file's declarations; false (with the error at the one past the limit) past <see cref="MaxDeclarations"/>.</summary>
    public bool Declared(ResourceFile file)
    {
        var before = _declarations;
        _declarations += file.Declarations.Count;
        if (_declarations <= MaxDeclarations) return true;
        var first = file.Declarations[MaxDeclarations - before].Resource.Source;
        Spend(DiagnosticCodes.RunBudget,
            $"declaration {MaxDeclarations + 1} of the run: one run declares at most {MaxDeclarations} resources " +
            "(split the specs over several repositories or fewer, larger resources; files after this one are not read)",
            first);
        return false;
    }

    /// <summary>
    /// Declarations times the hosts they target, before anything is realized: false (with the error at the target
    /// of the file that crosses it) past <see cref="MaxResources"/>.
    /// </summary>
    public bool Realizable(HostInventory inventory, IReadOnlyList<ResourceFile> files)
    {
        long resources = 0;
        foreach (var file in files)
        {
            var hosts = inventory.Hosts.Count(file.Target.Matches);
            resources += (long)hosts * file.Declarations.Count;
            if (resources <= MaxResources) continue;
            Spend(DiagnosticCodes.RunBudget,
                $"this file's {file.Declarations.Count} declarations for {hosts} host(s) bring the run to {resources} resources; " +
                $"one run plans at most {MaxResources} (declarations times the hosts each targets)",
                file.Target.Location);
            return false;
        }

        return true;
    }

    private void Spend(string code, string message, SourceLocation at)
    {
        Spent = true;
        diagnostics.Add(Diagnostic.Error(code, message, at));
    }
}
