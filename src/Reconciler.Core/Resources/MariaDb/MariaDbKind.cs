using Reconciler.Core.Engine;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary><c>mariadb: { databases, users, tables }</c> — through the host's mysql client as root over the unix socket.</summary>
public sealed class MariaDbKind : IResourceKind
{
    public IReadOnlyList<string> Sections => ["mariadb"];

    public IReadOnlyList<string> PlanKinds =>
        [MariaDbDatabaseResource.KindName, MariaDbUserResource.KindName, MariaDbTableResource.KindName, MariaDbRowsResource.KindName];

    public IReadOnlyList<Type> ResourceTypes =>
        [typeof(MariaDbDatabaseResource), typeof(MariaDbUserResource), typeof(MariaDbTableResource), typeof(MariaDbRowsResource)];

    /// <summary>First of the mail kinds: a host's databases, users and rows exist before dovecot and postfix read them.</summary>
    public int ApplyOrder => 70;

    public string SchemaFragment => Resources.SchemaFragment.Of(GetType(), "mariadb.schema.json");

    public IReadOnlyList<IResourceProvider> CreateProviders() => [new MariaDbProvider()];

    public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading) =>
        file.Mapping("mariadb") is { } mariadb ? MariaDbSectionReader.Read(mariadb, reading.Secrets, reading.Diagnostics) : [];
}
