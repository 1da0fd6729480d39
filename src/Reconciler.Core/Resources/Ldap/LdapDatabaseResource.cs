using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Ldap;

/// <summary>
/// One of slapd's MDB databases, by suffix, tuned through cn=config: its map size (bytes, or <see cref="MaxSizeAuto"/>:
/// the seed's rule, used size × <see cref="Growth"/>), and any other olcDb* attributes named (checkpoint, indexes...).
/// </summary>
/// <param name="MaxSize">Bytes, or null for auto.</param>
/// <param name="Attributes">Other olcDb* attributes and their values (several for a multi-valued one such as olcDbIndex), compared as sets.</param>
public sealed record LdapDatabaseResource(
    string Suffix, bool ManagesMaxSize, long? MaxSize, double Growth, double FillThreshold,
    IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Attributes, SourceLocation Source) : Resource(Source)
{
    public const string KindName = "ldap_database";

    public const string MaxSizeAttribute = "olcDbMaxSize";

    public override ResourceAddress Address => new(KindName, Suffix);

    public bool MaxSizeAuto => ManagesMaxSize && MaxSize is null;
}
