using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Sysctl;

/// <summary><c>sysctls: [ { key, value } ]</c> — kernel parameters, set live and persisted under /etc/sysctl.d.</summary>
public sealed class SysctlKind : IResourceKind
{
    public IReadOnlyList<string> Sections => ["sysctls"];

    public IReadOnlyList<string> PlanKinds => [SysctlResource.KindName];

    public IReadOnlyList<Type> ResourceTypes => [typeof(SysctlResource)];

    /// <summary>First: kernel settings hold before anything that depends on them is written.</summary>
    public IReadOnlyList<Type> After => [];

    public IReadOnlyList<KindGrammar> Grammars => [new("definitions/sysctl/properties/key/pattern", SysctlKey.Pattern)];

    public string SchemaFragment => Resources.SchemaFragment.Of(GetType(), "sysctl.schema.json");

    public IReadOnlyList<IResourceProvider> CreateProviders() => [new SysctlProvider()];

    /// <summary>A sysctl may be written dotted or as a path; both spellings set the same /proc/sys file.</summary>
    public string Identity(Resource resource) => $"{SysctlResource.KindName}[{((SysctlResource)resource).ProcPath}]";

    /// <summary>Keys cannot carry hostile text: <see cref="SysctlKey"/> refuses any key outside its grammar before a script exists.</summary>
    public IReadOnlyList<HostileSample> HostileSamples(HostileText hostile) =>
        [new("sysctl", new SysctlProvider(), [new SysctlResource("net.ipv4.ip_forward", hostile.Text("sysctl-value"), HostileSample.At)], ["M\t0"])
        {
            SharedFacts = new Dictionary<string, IReadOnlyList<string>> { [SysctlFacts.LiveUnit] = ["L\t0\t0"] },
        }];

    public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading)
    {
        foreach (var item in file.Items("sysctls").Cast<SpecMapping>())
        {
            var key = item.Scalar("key")!;
            var value = item.Scalar("value");
            reading.Diagnostics.AddIfProblem(DiagnosticCodes.InvalidValue, SysctlKey.Problem(key.RawText), key.Location);
            reading.Diagnostics.AddIfProblem(DiagnosticCodes.InvalidValue, ValueRules.SysctlValueProblem(value?.RawText ?? ""), (value ?? key).Location);
            var conflicts = item.Text("conflicts") == "block" ? SysctlConflicts.Block : SysctlConflicts.Comment;
            yield return new ResourceDeclaration(new SysctlResource(key.RawText, value?.RawText ?? "", item.Location, conflicts), null);
        }
    }
}
