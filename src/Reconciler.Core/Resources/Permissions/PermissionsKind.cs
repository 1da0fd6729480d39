using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Shell;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Permissions;

/// <summary><c>permissions: [ { path, remove, recursive, exclude } ]</c> — bits that must be clear under a path.</summary>
public sealed class PermissionsKind : IResourceKind
{
    public IReadOnlyList<string> Sections => ["permissions"];

    public IReadOnlyList<string> PlanKinds => [PermissionsResource.KindName];

    public IReadOnlyList<Type> ResourceTypes => [typeof(PermissionsResource)];

    /// <summary>After files: a file the same spec creates exists before its tree is checked for the bits.</summary>
    public IReadOnlyList<Type> After => [typeof(FileKind)];

    public IReadOnlyList<KindGrammar> Grammars => [new("definitions/permissions/properties/remove/pattern", RemovedBits.SyntaxPattern)];

    public string SchemaFragment => Resources.SchemaFragment.Of(GetType(), "permissions.schema.json");

    public IReadOnlyList<IResourceProvider> CreateProviders() => [new PermissionsProvider()];

    public string Identity(Resource resource) => resource.Address.ToString();

    /// <summary>A file's declared mode must not hold a bit a permissions resource over it clears (<see cref="ModeConflicts"/>).</summary>
    public IEnumerable<Diagnostic> Check(IReadOnlyList<Resource> resources) => ModeConflicts.Find(resources);

    /// <summary>The tree is in the scratch directory, with a world-writable file to fix, so its apply runs on the test machine.</summary>
    public IReadOnlyList<HostileSample> HostileSamples(HostileText hostile)
    {
        var loose = $"{hostile.Directory}/p {hostile.Name("perm")}";
        var globbed = $"{hostile.Directory}/gp {hostile.Name("globperm")}";
        return
        [
            new("permissions", new PermissionsProvider(),
                [new PermissionsResource(hostile.Directory, true, "o-w", [$"{hostile.Directory}/{hostile.Line("exclude")}"], HostileSample.At)],
                []) { RunApply = true, Setup = $"mkdir -p -- {Sh.Quote(hostile.Directory)} && : > {Sh.Quote(loose)} && chmod 0666 -- {Sh.Quote(loose)}" },
            // A glob over the same directory (escaped, so it matches itself), with a hostile exclude pattern.
            new("permissions glob", new PermissionsProvider(),
                [new PermissionsResource($"{GlobPaths.Escape(hostile.Directory)}/gp*", true, "o-w", [$"{GlobPaths.Escape(hostile.Directory)}/{hostile.Line("exclude")}"], HostileSample.At) { Glob = true, ExcludePatterns = true }],
                []) { RunApply = true, Setup = $"mkdir -p -- {Sh.Quote(hostile.Directory)} && : > {Sh.Quote(globbed)} && chmod 0666 -- {Sh.Quote(globbed)}" },
        ];
    }

    public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading) =>
        file.Items("permissions").Cast<SpecMapping>().Select(item => new ResourceDeclaration(Read(item, reading.Diagnostics), null)).ToList();

    private static PermissionsResource Read(SpecMapping item, ICollection<Diagnostic> diagnostics)
    {
        var path = item.Scalar("path")!;
        var remove = item.Scalar("remove")!;
        diagnostics.AddIfProblem(DiagnosticCodes.PathNotNormalized, PathRules.Problem(path.RawText), path.Location);
        var problem = RemovedBits.Problem(remove.RawText);
        diagnostics.AddIfProblem(DiagnosticCodes.InvalidValue, problem, remove.Location);
        var excluded = item.Items("exclude").Cast<SpecScalar>().ToList();
        // A glob path's excludes are patterns too; so are all of a literal path's once one of them holds '*', '?' or '['.
        var glob = GlobPaths.IsPattern(path.RawText);
        var patterns = glob || excluded.Any(e => GlobPaths.IsPattern(e.RawText));
        var root = glob ? GlobPaths.LiteralPrefix(path.RawText) : path.RawText;
        foreach (var exclude in excluded)
        {
            var unnormalized = PathRules.Problem(exclude.RawText);
            diagnostics.AddIfProblem(DiagnosticCodes.PathNotNormalized, unnormalized, exclude.Location);
            if (unnormalized is null && !(glob && exclude.RawText == path.RawText) && !PermissionsResource.IsUnder(exclude.RawText, root))
            {
                diagnostics.AddIfProblem(DiagnosticCodes.InvalidValue, $"excluded path '{exclude.RawText}' is not under '{root}'", exclude.Location);
            }
        }

        return new PermissionsResource(
            path.RawText,
            item.Scalar("recursive")?.Value is not false,
            problem is null ? RemovedBits.Normalize(remove.RawText) : remove.RawText,
            excluded.Select(e => e.RawText).ToList(),
            item.Location) { Glob = glob, ExcludePatterns = patterns };
    }
}
