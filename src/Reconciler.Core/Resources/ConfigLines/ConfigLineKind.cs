using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.Permissions;
using Reconciler.Core.Shell;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.ConfigLines;

/// <summary><c>config_lines: [ { path, key, value, separator } ]</c> — single settings in files the system owns.</summary>
public sealed class ConfigLineKind : IResourceKind
{
    public IReadOnlyList<string> Sections => ["config_lines"];

    public IReadOnlyList<string> PlanKinds => [ConfigLineResource.KindName];

    public IReadOnlyList<Type> ResourceTypes => [typeof(ConfigLineResource)];

    /// <summary>After whole files and permissions: a line edits a file that may have just been created.</summary>
    public IReadOnlyList<Type> After => [typeof(FileKind), typeof(PermissionsKind)];

    public IReadOnlyList<KindGrammar> Grammars => [];

    public string Identity(Resource resource) => resource.Address.ToString();

    /// <summary>The file edited is in the scratch directory, so its apply runs on the test machine.</summary>
    public IReadOnlyList<HostileSample> HostileSamples(HostileText hostile)
    {
        var conf = $"{hostile.Directory}/c {hostile.Name("conf")}";
        return
        [
            new("config_line", new ConfigLineProvider(), [new ConfigLineResource(conf, hostile.Line("key"), hostile.Line("value"), " ", HostileSample.At)], [])
            {
                RunApply = true,
                Setup = $"mkdir -p -- {Sh.Quote(hostile.Directory)} && printf 'Key 1\\n' > {Sh.Quote(conf)}",
            },
        ];
    }

    public string SchemaFragment => Resources.SchemaFragment.Of(GetType(), "config_line.schema.json");

    public IReadOnlyList<IResourceProvider> CreateProviders() => [new ConfigLineProvider()];

    public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading)
    {
        var diagnostics = reading.Diagnostics;
        foreach (var item in file.Items("config_lines").Cast<SpecMapping>())
        {
            var path = item.Scalar("path")!;
            var key = item.Scalar("key")!;
            var value = item.Scalar("value");
            diagnostics.AddIfProblem(DiagnosticCodes.PathNotNormalized, PathRules.Problem(path.RawText), path.Location);
            diagnostics.AddIfProblem(DiagnosticCodes.InvalidValue, ValueRules.ConfigKeyProblem(key.RawText), key.Location);
            diagnostics.AddIfProblem(DiagnosticCodes.InvalidValue, ValueRules.ConfigValueProblem(value?.RawText ?? ""), (value ?? key).Location);
            var resource = new ConfigLineResource(path.RawText, key.RawText, value?.RawText ?? "", item.Text("separator") ?? " ", item.Location)
            {
                Follow = item.Scalar("follow")?.Value is true,
            };
            yield return new ResourceDeclaration(resource, null);
        }
    }
}
