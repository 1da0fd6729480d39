using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Dovecot;

/// <summary><c>dovecot: { files, probe }</c> — configuration files written as one transaction, and a login probe.</summary>
public sealed class DovecotKind : IResourceKind
{
    public IReadOnlyList<string> Sections => ["dovecot"];

    public IReadOnlyList<string> PlanKinds => [DovecotFileResource.KindName, DovecotProbeResource.KindName];

    public IReadOnlyList<Type> ResourceTypes => [typeof(DovecotFileResource), typeof(DovecotProbeResource)];

    /// <summary>After the database its login probe reads; before postfix, whose SMTP probe needs dovecot's auth socket.</summary>
    public int ApplyOrder => 80;

    public string SchemaFragment => Resources.SchemaFragment.Of(GetType(), "dovecot.schema.json");

    public IReadOnlyList<IResourceProvider> CreateProviders() => [new DovecotProvider()];

    /// <summary>A dovecot file is a file: declared under both files: and dovecot:, the two would rewrite it in turn.</summary>
    public string? Identity(Resource resource) =>
        resource is DovecotFileResource file ? $"{FileResource.KindName}[{file.Path}]" : null;

    public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading) =>
        file.Mapping("dovecot") is { } dovecot ? DovecotSectionReader.Read(dovecot, reading.Files, reading.Secrets, reading.Diagnostics) : [];
}
