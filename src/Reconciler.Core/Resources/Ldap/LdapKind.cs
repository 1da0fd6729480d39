using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Ldap;

/// <summary><c>ldap_databases: [ { suffix, max_size, growth, fill_threshold, checkpoint, indexes, attributes } ]</c> — slapd's MDB databases through cn=config.</summary>
public sealed class LdapKind : IResourceKind
{
    public const string Section = "ldap_databases";
    public const double DefaultGrowth = 1.1;
    public const double DefaultFillThreshold = 0.8;

    public IReadOnlyList<string> Sections => [Section];

    public IReadOnlyList<string> PlanKinds => [LdapDatabaseResource.KindName];

    public IReadOnlyList<Type> ResourceTypes => [typeof(LdapDatabaseResource)];

    /// <summary>After the packages (slapd, lmdb-utils installed).</summary>
    public IReadOnlyList<Type> After => [typeof(Packages.PackagesKind)];

    public string SchemaFragment => Resources.SchemaFragment.Of(GetType(), "ldap.schema.json");

    public IReadOnlyList<KindGrammar> Grammars =>
    [
        new("definitions/ldap_database/properties/suffix/pattern", LdapNames.SuffixPattern),
        new("definitions/ldap_database/properties/attributes/propertyNames/pattern", LdapNames.AttributePattern),
        new("definitions/ldap_database/properties/indexes/items/pattern", LdapNames.ValuePattern),
    ];

    public IReadOnlyList<IResourceProvider> CreateProviders() => [new LdapProvider()];

    /// <summary>slapd matches suffixes without regard to case: dc=Example and dc=example are one database.</summary>
    public string Identity(Resource resource) => $"{LdapDatabaseResource.KindName}[{((LdapDatabaseResource)resource).Suffix.ToLowerInvariant()}]";

    public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading)
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

            foreach (var entry in item.Mapping("attributes")?.Entries ?? [])
            {
                var name = entry.Key.RawText;
                var values = entry.Value is SpecSequence many ? many.Items.OfType<SpecScalar>().ToList() : entry.Value is SpecScalar one ? [one] : [];
                if (!LdapNames.IsAttribute(name)) Error($"'{PathRules.Printable(name)}' is not an olcDb* attribute", entry.Key.Location);
                else if (LdapNames.IsSensitive(name)) Error($"{name} holds a secret: ldap_databases never reads or writes secrets", entry.Key.Location);
                else if (name is "olcDbMaxSize" or "olcDbCheckpoint" or "olcDbIndex" or "olcDbDirectory")
                {
                    Error(name == "olcDbDirectory" ? "olcDbDirectory is where the data lives: it is not changed here" : $"{name} is declared with its own key (max_size, checkpoint, indexes)", entry.Key.Location);
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

    /// <summary>Names and values are refused outside their LDIF-safe grammar; the sample raises a map and sets indexes.</summary>
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
    ];
}
