using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.MariaDb;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Dovecot;

/// <summary><c>dovecot: { files, probe }</c> — configuration files written as one transaction, and a login probe.</summary>
public sealed class DovecotKind : IResourceKind
{
    public IReadOnlyList<string> Sections => ["dovecot"];

    public IReadOnlyList<string> PlanKinds => [DovecotFileResource.KindName, DovecotProbeResource.KindName];

    public IReadOnlyList<Type> ResourceTypes => [typeof(DovecotFileResource), typeof(DovecotProbeResource)];

    /// <summary>After the database its login probe reads; before postfix, whose SMTP probe needs dovecot's auth socket.</summary>
    public IReadOnlyList<Type> After => [typeof(MariaDbKind), typeof(Packages.PackagesKind)];

    public IReadOnlyList<KindGrammar> Grammars =>
    [
        new("definitions/dovecot_file/properties/owner/pattern", NameGrammar.Account),
        new("definitions/dovecot_file/properties/group/pattern", NameGrammar.Account),
    ];

    public string SchemaFragment => Resources.SchemaFragment.Of(GetType(), "dovecot.schema.json");

    public IReadOnlyList<IResourceProvider> CreateProviders() => [new DovecotProvider()];

    /// <summary>A dovecot file is a file: declared under both files: and dovecot:, the two would rewrite it in turn.</summary>
    public string Identity(Resource resource) =>
        resource is DovecotFileResource file ? $"{FileResource.KindName}[{file.Path}]" : resource.Address.ToString();

    /// <summary>Two files, so the transaction's multi-file script is checked too; the facts: dovecot installed, neither file there.</summary>
    public IReadOnlyList<HostileSample> HostileSamples(HostileText hostile) =>
    [
        new("dovecot", new DovecotProvider(),
        [
            new DovecotFileResource("/etc/dovecot/conf.d/" + hostile.Name("rel"), hostile.Text("dovecot-content"), "root", "dovecot", "0640", false, HostileSample.At),
            new DovecotFileResource("/etc/dovecot/conf.d/" + hostile.Name("rel2"), hostile.Text("dovecot-content2"), "root", "dovecot", "0640", false, HostileSample.At),
            new DovecotProbeResource(hostile.Line("login"), hostile.Text("login-password"), HostileSample.At),
        ], ["I"]) { SharedFacts = new Dictionary<string, IReadOnlyList<string>> { [FileFacts.Unit] = ["N\t0", "N\t1"] } },
    ];

    public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading) =>
        file.Mapping("dovecot") is { } dovecot ? DovecotSectionReader.Read(dovecot, reading.Files, reading.Secrets, reading.Diagnostics) : [];
}
