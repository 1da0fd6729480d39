using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Ldap;

/// <summary>
/// <c>ldap_databases: [ { suffix, max_size, growth, fill_threshold, checkpoint, indexes, attributes } ]</c> — slapd's MDB
/// databases through cn=config; and for legacy hosts (slapd ≤ 2.4, back-bdb / back-hdb)
/// <c>ldap_db_configs: [ { directory, service, cachesize, rule, lg_bsize, lg_regionmax, other } ]</c> — a database
/// directory's DB_CONFIG, applied by the seed's stop, remove the regions, start.
/// </summary>
public sealed class LdapKind : IResourceKind
{
    public const string Section = "ldap_databases";
    public const double DefaultGrowth = 1.1;
    public const double DefaultFillThreshold = 0.8;

    public IReadOnlyList<string> Sections => [Section, LdapDbConfigReader.Section];

    public IReadOnlyList<string> PlanKinds => [LdapDatabaseResource.KindName, LdapDbConfigResource.KindName];

    public IReadOnlyList<Type> ResourceTypes => [typeof(LdapDatabaseResource), typeof(LdapDbConfigResource)];

    /// <summary>After the packages (slapd, lmdb-utils installed).</summary>
    public IReadOnlyList<Type> After => [typeof(Packages.PackagesKind)];

    public string SchemaFragment => Resources.SchemaFragment.Of(GetType(), "ldap.schema.json");

    public IReadOnlyList<KindGrammar> Grammars =>
    [
        new("definitions/ldap_database/properties/suffix/pattern", LdapNames.SuffixPattern),
        new("definitions/ldap_database/properties/attributes/propertyNames/pattern", LdapNames.AttributePattern),
        new("definitions/ldap_database/properties/indexes/items/pattern", LdapNames.ValuePattern),
        new("definitions/ldap_db_config/properties/other/items/pattern", LdapNames.DbConfigLinePattern),
        new("definitions/ldap_db_config/properties/service/pattern", LdapNames.ServiceNamePattern),
    ];

    public IReadOnlyList<IResourceProvider> CreateProviders() => [new LdapProvider(), new LdapDbConfigProvider()];

    /// <summary>slapd matches suffixes without regard to case: dc=Example and dc=example are one database. A directory is its path.</summary>
    public string Identity(Resource resource) => resource switch
    {
        LdapDatabaseResource database => $"{LdapDatabaseResource.KindName}[{database.Suffix.ToLowerInvariant()}]",
        _ => resource.Address.ToString(),
    };

    public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading) =>
        ReadDatabases(file, reading).Concat(LdapDbConfigReader.Read(file, reading));

    private static IEnumerable<ResourceDeclaration> ReadDatabases(SpecMapping file, SpecReading reading)
    {
        foreach (var item in file.Items(Section).OfType<SpecMapping>())
        {
            var errors = reading.Diagnostics.Count;
            void Error(string message, SourceLocation at) => reading.Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, message, at));
            var suffix = item.Scalar("suffix")!;
            if (!LdapNames.IsSuffix(suffix.RawText)) Error($"suffix '{PathRules.Printable(suffix.RawText)}' is not a plain DN", suffix.Location);
            var attributes = new List<KeyValuePair<string, IReadOnlyList<string>>>();
            if (item.Text("checkpoint") is { } checkpoint) attributes.Add(new("olcDbCheckpoint", [checkpoint]));
            if (item["indexes"] is SpecSequence indexes)
            {
                attributes.Add(new("olcDbIndex", indexes.Items.OfType<SpecScalar>().Select(i => i.RawText).ToList()));
            }

            // LDAP attribute names are case-insensitive: slapd takes olcDbDIRECTORY as olcDbDirectory, so every rule on a
            // name compares without case, and one attribute may not be declared twice in two spellings.
            var named = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in item.Mapping("attributes")?.Entries ?? [])
            {
                var name = entry.Key.RawText;
                var values = entry.Value is SpecSequence many ? many.Items.OfType<SpecScalar>().ToList() : entry.Value is SpecScalar one ? [one] : [];
                var own = LdapNames.OwnKey(name);
                if (!LdapNames.IsAttribute(name)) Error($"'{PathRules.Printable(name)}' is not an olcDb* attribute", entry.Key.Location);
                else if (LdapNames.IsSensitive(name)) Error($"{name} holds a secret: ldap_databases never reads or writes secrets", entry.Key.Location);
                else if (own is not null)
                {
                    var what = own == "olcDbDirectory" ? "where the data lives: it is not changed here" : "declared with its own key (max_size, checkpoint, indexes)";
                    Error(name == own ? $"{own} is {what}" : $"{name} is {own}, {what}", entry.Key.Location);
                }
                else if (!named.Add(name))
                {
                    Error($"{name} is declared twice (attribute names do not depend on case)", entry.Key.Location);
                }

                foreach (var value in values.Where(v => !LdapNames.IsValue(v.RawText)))
                {
                    Error($"{name}: '{PathRules.Printable(value.RawText)}' would break LDIF (a line break, a leading space, ':' or '<')", value.Location);
                }

                attributes.Add(new(name, values.Select(v => v.RawText).ToList()));
            }

            var maxSize = item.Scalar("max_size");
            if (reading.Diagnostics.Count > errors) continue;
            yield return new ResourceDeclaration(new LdapDatabaseResource(
                suffix.RawText, maxSize is not null, maxSize?.Value is long bytes ? bytes : null,
                item.Scalar("growth")?.Value is { } g ? Convert.ToDouble(g, System.Globalization.CultureInfo.InvariantCulture) : DefaultGrowth,
                item.Scalar("fill_threshold")?.Value is { } f ? Convert.ToDouble(f, System.Globalization.CultureInfo.InvariantCulture) : DefaultFillThreshold,
                attributes, item.Location), null);
        }
    }

    /// <summary>
    /// Names and values are refused outside their LDIF-safe grammar; the sample raises a map and sets indexes. The
    /// DB_CONFIG sample has a hostile directory and passed-through line (its service name is checked by the provider
    /// before any script exists): auto sizes the cache from its id2entry.bdb, and its running service is restarted.
    /// </summary>
    public IReadOnlyList<HostileSample> HostileSamples(HostileText hostile) =>
    [
        new("ldap_database", new LdapProvider(),
            [
                new LdapDatabaseResource("dc=example,dc=test", true, null, 1.1, 0.8,
                    [new("olcDbIndex", ["objectClass eq", "cn,sn eq,sub"])], HostileSample.At),
            ],
            [
                "SLAPD\tpresent", "DB\tolcDatabase={1}mdb,cn=config",
                "ATTR\tolcDatabase={1}mdb,cn=config\tolcSuffix\ttext\tdc=example,dc=test",
                "ATTR\tolcDatabase={1}mdb,cn=config\tolcDbDirectory\ttext\t/var/lib/ldap",
                "MDB\t/var/lib/ldap\t10485760\t4096\t2500",
            ]),
        new("ldap_db_config", new LdapDbConfigProvider(),
            [
                new LdapDbConfigResource(hostile.Directory, "slapd", null, true, DbCacheRule.Run, 2097152, 262144, [hostile.Line("other")], HostileSample.At),
            ],
            [
                "STAT\tdb5.3_stat", "D\t0\tdirectory\twritable\t--------------e-------",
                "S\t0\tsysv\trunning", "F\t0\tid2entry.bdb\t5500928\t1700000000", "F\t0\tdn2id.bdb\t290816\t1700000000", "F\t0\t__db.001\t286719\t1700000000",
            ])
        {
            SharedFacts = new Dictionary<string, IReadOnlyList<string>> { [FileFacts.Unit] = ["N\t0"] },
        },
    ];
}
