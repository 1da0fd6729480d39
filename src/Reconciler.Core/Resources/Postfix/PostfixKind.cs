using Reconciler.Core.Engine;
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

    /// <summary>Last: its SMTP probe needs dovecot's auth socket, and its maps query the database.</summary>
    public int ApplyOrder => 90;

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
