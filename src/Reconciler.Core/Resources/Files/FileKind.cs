using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Resources.Sysctl;
using Reconciler.Core.Shell;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Files;

/// <summary><c>files: [ { path, type, content | template, owner, group, mode, attributes, ... } ]</c>.</summary>
public sealed class FileKind : IResourceKind
{
    public IReadOnlyList<string> Sections => ["files"];

    public IReadOnlyList<string> PlanKinds => [FileResource.KindName];

    public IReadOnlyList<Type> ResourceTypes => [typeof(FileResource)];

    /// <summary>After kernel settings, which hold before anything that depends on them is written.</summary>
    public IReadOnlyList<Type> After => [typeof(SysctlKind)];

    public IReadOnlyList<KindGrammar> Grammars =>
        [new("definitions/file/properties/owner/pattern", NameGrammar.Account), new("definitions/file/properties/group/pattern", NameGrammar.Account)];

    public string SchemaFragment => Resources.SchemaFragment.Of(GetType(), "file.schema.json");

    public IReadOnlyList<IResourceProvider> CreateProviders() => [new FileProvider()];

    public string Identity(Resource resource) => resource.Address.ToString();

    /// <summary>The file is written in the scratch directory, so its apply runs on the test machine.</summary>
    public IReadOnlyList<HostileSample> HostileSamples(HostileText hostile) =>
    [
        new("file", new FileProvider(),
            [new FileResource($"{hostile.Directory}/f {hostile.Name("file")}", FileType.File, Ensure.Present, WhenMissing.Create, hostile.Text("content"), null, null, "0640", null, false, HostileSample.At)],
            []) { RunApply = true, Setup = $"mkdir -p -- {Sh.Quote(hostile.Directory)}" },
        // A glob: the pattern holds the hostile directory (escaped, so it matches itself) and a match has a hostile name.
        new("file glob", new FileProvider(),
            [new FileResource($"{GlobPaths.Escape(hostile.Directory)}/gf*", FileType.File, Ensure.Present, WhenMissing.Fail, null, null, null, "0640", null, false, HostileSample.At) { Glob = true }],
            [])
        {
            RunApply = true,
            Setup = $"mkdir -p -- {Sh.Quote(hostile.Directory)} && : > {Sh.Quote($"{hostile.Directory}/gf {hostile.Name("globfile")}")} && chmod 0600 -- {Sh.Quote($"{hostile.Directory}/gf {hostile.Name("globfile")}")}",
        },
    ];

    public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading) =>
        file.Items("files").Cast<SpecMapping>().Select(item => Read(item, reading.Files, reading.Diagnostics)).ToList();

    private static ResourceDeclaration Read(SpecMapping item, ISpecFiles files, ICollection<Diagnostic> diagnostics)
    {
        var path = item.Scalar("path")!;
        diagnostics.AddIfProblem(DiagnosticCodes.PathNotNormalized, PathRules.Problem(path.RawText), path.Location);

        var mode = item.Scalar("mode");
        if (mode is not null)
        {
            diagnostics.AddIfProblem(DiagnosticCodes.ModeOutOfRange, ValueRules.ModeProblem(mode.RawText), mode.Location);
        }

        var type = item.Text("type") == "directory" ? FileType.Directory : FileType.File;
        var content = item.Scalar("content");
        var template = item.Scalar("template");
        if (content is not null && template is not null)
        {
            diagnostics.AddIfProblem(DiagnosticCodes.Schema, "'content' and 'template' are mutually exclusive; keep one", template.Location);
        }
        else if (type == FileType.Directory && (content ?? template) is { } given)
        {
            diagnostics.AddIfProblem(DiagnosticCodes.Schema, "a directory cannot have 'content' or 'template'", given.Location);
        }

        // A glob path (/home/*) manages what its matches already are: mode, owner, group and attributes, never content.
        var glob = GlobPaths.IsPattern(path.RawText);
        if (glob)
        {
            foreach (var given in new[] { content, template }.OfType<SpecScalar>())
            {
                diagnostics.AddIfProblem(DiagnosticCodes.InvalidValue,
                    $"a glob path ('{path.RawText}') declares mode, owner, group and attributes only, not content or a template", given.Location);
            }

            if (item.Scalar("ensure") is { RawText: "absent" } absent)
            {
                diagnostics.AddIfProblem(DiagnosticCodes.InvalidValue, $"a glob path ('{path.RawText}') cannot be ensure: absent; removing every match is not a glob's job", absent.Location);
            }
        }

        var hasContent = content is not null || template is not null;
        var whenMissing = item.Text("when_missing") switch
        {
            "create" => WhenMissing.Create,
            "skip" => WhenMissing.Skip,
            "fail" => WhenMissing.Fail,
            _ => hasContent || type == FileType.Directory ? WhenMissing.Create : WhenMissing.Fail,
        };

        var resource = new FileResource(
            path.RawText,
            type,
            item.Text("ensure") == "absent" ? Ensure.Absent : Ensure.Present,
            whenMissing,
            content?.RawText,
            item.Text("owner"),
            item.Text("group"),
            mode?.RawText,
            ReadAttributes(item),
            item.Scalar("sensitive")?.Value is true,
            item.Location) { Follow = item.Scalar("follow")?.Value is true, ModeSource = mode?.Location, Glob = glob };
        var reference = template is null ? null : files.Template(template, diagnostics);
        return new ResourceDeclaration(resource, reference);
    }

    /// <summary>Flags in the canonical chattr order, so equal sets compare equal however they were listed.</summary>
    private static string? ReadAttributes(SpecMapping item)
    {
        if (item["attributes"] is not SpecSequence attributes)
        {
            return null;
        }

        var listed = attributes.Items.Cast<SpecScalar>().Select(s => s.RawText).ToHashSet(StringComparer.Ordinal);
        return string.Concat(FileResource.ManagedAttributes.Where(flag => listed.Contains(flag.ToString())));
    }
}
