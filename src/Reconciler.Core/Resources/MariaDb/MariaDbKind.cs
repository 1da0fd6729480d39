using Reconciler.Core.Engine;
using Reconciler.Core.Model;
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

    /// <summary>
    /// First of the mail kinds: a host's databases, users and rows exist before dovecot and postfix read them; after the
    /// packages, which install the server.
    /// </summary>
    public IReadOnlyList<Type> After => [typeof(Packages.PackagesKind)];

    public IReadOnlyList<KindGrammar> Grammars =>
    [
        new("definitions/mariadb_identifier/pattern", MariaDbNames.IdentifierPattern),
        new("definitions/mariadb_table/properties/columns/propertyNames/pattern", MariaDbNames.IdentifierPattern),
        new("definitions/mariadb_table/properties/rows/items/propertyNames/pattern", MariaDbNames.IdentifierPattern),
        new("definitions/mariadb_user/properties/host/pattern", MariaDbNames.AccountHostPattern),
        new("definitions/mariadb_table/properties/columns/additionalProperties/pattern", MariaDbNames.ColumnDefinitionPattern),
    ];

    public string Identity(Resource resource) => resource.Address.ToString();

    /// <summary>
    /// Names (databases, tables, columns, users' hosts, charsets) are refused by <see cref="MariaDbNames"/> outside their
    /// grammar before any SQL exists; passwords, cell values and column definitions carry the hostile text.
    /// </summary>
    public IReadOnlyList<HostileSample> HostileSamples(HostileText hostile) =>
    [
        new("mariadb", new MariaDbProvider(),
        [
            new MariaDbDatabaseResource("rc_db", "utf8mb4", null, HostileSample.At),
            new MariaDbUserResource("rc_user", "local%host", hostile.Text("password"), [new MariaDbGrant("rc_db", null, ["SELECT"])], HostileSample.At),
            new MariaDbTableResource("rc_db", "rc_table", [new MariaDbColumn("rc_col", HostileDefinition(hostile, "definition"))], ["rc_col"], HostileSample.At),
            new MariaDbRowsResource("rc_db", "rc_table", ["rc_col"], false,
                [new MariaDbRow([new MariaDbCell("rc_col", MariaDbValue.Plain(hostile.Text("cell")))], HostileSample.At)], HostileSample.At),
        ], []),
    ];

    /// <summary>What a column definition may hold: no ';', backtick, backslash or line break (its schema pattern).</summary>
    private static string HostileDefinition(HostileText hostile, string tag) =>
        $"varchar(255) DEFAULT 'q'' d\" $(touch {hostile.Canaries}/dollar-{tag}) * {hostile.Scratch}/* % $HOME'";

    public string SchemaFragment => Resources.SchemaFragment.Of(GetType(), "mariadb.schema.json");

    public IReadOnlyList<IResourceProvider> CreateProviders() => [new MariaDbProvider()];

    public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading) =>
        file.Mapping("mariadb") is { } mariadb ? MariaDbSectionReader.Read(mariadb, reading.Secrets, reading.Diagnostics) : [];
}
