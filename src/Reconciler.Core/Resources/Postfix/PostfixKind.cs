using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Resources.Dovecot;
using Reconciler.Core.Resources.MariaDb;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Postfix;

/// <summary>
/// <c>postfix: { main, master, maps }</c> — one resource per main.cf parameter, per master.cf service and per map file,
/// all applied as one transaction per host.
/// </summary>
public sealed class PostfixKind : IResourceKind
{
    public IReadOnlyList<string> Sections => ["postfix"];

    public IReadOnlyList<string> PlanKinds => [PostfixMainResource.KindName, PostfixMasterResource.KindName, PostfixMapResource.KindName];

    public IReadOnlyList<Type> ResourceTypes => [typeof(PostfixMainResource), typeof(PostfixMasterResource), typeof(PostfixMapResource)];

    /// <summary>A master.cf service: a name or [host:]port (127.0.0.1:10025, [::1]:10025).</summary>
    public const string ServicePattern = "^[A-Za-z0-9_.:\\[\\]-]{1,100}$";

    /// <summary>A master.cf command: a daemon name in daemon_directory or an absolute path.</summary>
    public const string CommandPattern = "^[A-Za-z0-9_./-]{1,255}$";

    /// <summary>Its SMTP probe needs dovecot's auth socket, and its maps query the database.</summary>
    public IReadOnlyList<Type> After => [typeof(DovecotKind), typeof(MariaDbKind), typeof(Packages.PackagesKind)];

    public IReadOnlyList<KindGrammar> Grammars =>
    [
        new("properties/postfix/properties/master/items/properties/service/pattern", ServicePattern),
        new("properties/postfix/properties/master/items/properties/command/pattern", CommandPattern),
    ];

    public string Identity(Resource resource) => resource.Address.ToString();

    /// <summary>Every field is hostile here, even where the schema's grammar would refuse it: the scripts must not rely on it.</summary>
    public IReadOnlyList<HostileSample> HostileSamples(HostileText hostile) =>
    [
        new("postfix", new PostfixProvider(),
        [
            new PostfixMainResource(hostile.Line("parameter"), hostile.Text("main-value"), HostileSample.At),
            new PostfixMasterResource(hostile.Line("service"), hostile.Line("type"), "n", "-", "y", "-", "-", hostile.Line("command"), [hostile.Text("arg")], HostileSample.At),
            new PostfixMapResource(hostile.Line("map") + ".cf", "mysql", [new("hosts", hostile.Text("hosts")), new("query", hostile.Text("query"))], hostile.Text("map-password"),
                new PostfixMapProbe(hostile.Text("probe-key"), hostile.Text("probe-expect")), HostileSample.At),
        ], ["I"]),
    ];

    public string SchemaFragment => Resources.SchemaFragment.Of(GetType(), "postfix.schema.json");

    public IReadOnlyList<IResourceProvider> CreateProviders() => [new PostfixProvider()];

    public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading)
    {
        var postfix = file.Mapping("postfix");
        var declarations = new List<ResourceDeclaration>();

        // main: { PARAM: VALUE } — one resource per main.cf parameter; the schema checks names and values.
        foreach (var entry in postfix?.Mapping("main")?.Entries ?? [])
        {
            declarations.Add(new ResourceDeclaration(new PostfixMainResource(entry.Key.RawText, ((SpecScalar)entry.Value).RawText, entry.Key.Location), null));
        }

        // master: [ { service, type, ..., command, args } ] — one resource per master.cf service (SERVICE/TYPE); omitted
        // columns are "-" (postfix's default), as in master.cf.
        foreach (var item in postfix?.Items("master").Cast<SpecMapping>() ?? [])
        {
            string Column(string key) => item.Text(key) ?? "-";
            declarations.Add(new ResourceDeclaration(new PostfixMasterResource(
                item.Text("service")!, item.Text("type")!, Column("private"), Column("unpriv"), Column("chroot"), Column("wakeup"),
                Column("maxproc"), item.Text("command")!, item.Items("args").Cast<SpecScalar>().Select(a => a.RawText).ToList(), item.Location), null));
        }

        // maps: [ { name, type, ... } ] — one resource per map file (postfix_map[NAME]); the password may be a secret.
        foreach (var item in postfix?.Items("maps").Cast<SpecMapping>() ?? [])
        {
            if (PostfixMapReader.Read(item, reading.Secrets, reading.Diagnostics) is { } map)
            {
                declarations.Add(new ResourceDeclaration(map, null));
            }
        }

        return declarations;
    }
}
