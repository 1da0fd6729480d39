using System.Globalization;
using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Ldap;

/// <summary>
/// MDB databases: one read of cn=config and the maps for every database of the host, a diff of each declared attribute
/// (olcDbMaxSize from the sizing rule when auto), and apply as one LDIF per database, tried on a copy of cn=config first.
/// </summary>
public sealed class LdapProvider : ResourceProvider<LdapDatabaseResource, LdapDatabaseObserved>
{
    public override string Kind => LdapDatabaseResource.KindName;

    /// <summary>slapd's cn=config directory, copied for the trial of each change.</summary>
    public const string SlapdD = "/etc/ldap/slapd.d";

    protected override string ReadScript(IReadOnlyList<LdapDatabaseResource> resources) => LdapFacts.ReadScript();

    protected override IReadOnlyList<LdapDatabaseObserved> ParseFacts(IReadOnlyList<LdapDatabaseResource> resources, FactAnswers answers) =>
        LdapFacts.Parse(Kind, answers[Kind], resources);

    /// <summary>What the database's attributes should be after apply, and why the map size is what it is.</summary>
    private sealed record Target(IReadOnlyList<(string Attribute, IReadOnlyList<string> Values)> Changes, string? Sizing, string? Problem, long? MaxSize);

    private static Target Decide(LdapDatabaseResource desired, LdapDatabaseObserved observed)
    {
        var changes = new List<(string, IReadOnlyList<string>)>();
        string? sizing = null;
        long? maxSize = null;
        var live = observed.Attributes.GetValueOrDefault(LdapDatabaseResource.MaxSizeAttribute)?.FirstOrDefault() is { } text &&
                   long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : LdapDatabaseObserved.DefaultMaxSize;
        if (desired.ManagesMaxSize)
        {
            if (desired.MaxSize is { } bytes)
            {
                maxSize = bytes;
            }
            else if (observed is { PagesUsed: { } used, PageSize: { } page })
            {
                // Against the configured limit, not mdb_stat's map size: LMDB keeps that at its high-water mark.
                var auto = LdapSizing.Compute(used, page, live, desired.Growth);
                (maxSize, sizing) = (auto.Bytes, auto.Explanation);
            }
            else
            {
                return new Target([], null, $"max_size: auto needs the database's map: {observed.StatProblem}", null);
            }

            if (maxSize != live)
            {
                changes.Add((LdapDatabaseResource.MaxSizeAttribute, [maxSize.Value.ToString(CultureInfo.InvariantCulture)]));
            }
        }

        foreach (var (attribute, values) in desired.Attributes)
        {
            var current = observed.Attributes.GetValueOrDefault(attribute) ?? [];
            if (!Normalized(current).SetEquals(Normalized(values)))
            {
                changes.Add((attribute, values));
            }
        }

        return new Target(changes, sizing, null, maxSize ?? live);
    }

    /// <summary>Values compared as a set, whitespace runs as one space (slapd keeps an index line as written).</summary>
    private static HashSet<string> Normalized(IEnumerable<string> values) =>
        values.Select(v => string.Join(' ', v.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))).ToHashSet(StringComparer.Ordinal);

    protected override ResourceChange Diff(LdapDatabaseResource desired, LdapDatabaseObserved observed)
    {
        if (!observed.SlapdInstalled) return ResourceChange.Blocked(desired, "slapd is not installed on this host (declare the package slapd)");
        if (observed.Dn is null)
        {
            return ResourceChange.Blocked(desired, $"slapd has no mdb database with suffix {desired.Suffix}" +
                (observed.Databases.Count == 0 ? "" : $" (it has {string.Join(", ", observed.Databases.Take(8))})"));
        }

        var target = Decide(desired, observed);
        if (target.Problem is { } problem) return ResourceChange.Blocked(desired, problem);
        var attributes = target.Changes.Select(c => c.Attribute == LdapDatabaseResource.MaxSizeAttribute
            ? AttributeChange.Of(new AttributeName(c.Attribute), MaxSizeShown(observed), $"{c.Values[0]} ({LdapSizing.Size(long.Parse(c.Values[0], CultureInfo.InvariantCulture))})")
            : AttributeChange.Of(new AttributeName(c.Attribute), Shown(observed.Attributes.GetValueOrDefault(c.Attribute)), Shown(c.Values))).ToList();
        // The threshold judges a size someone wrote down; auto keeps its own margin (growth), raising the limit as data grows.
        var fill = !desired.MaxSizeAuto && observed.UsedBytes is { } used && target.MaxSize is { } max && max > 0 ? (double)used / max : (double?)null;
        var over = fill > desired.FillThreshold
            ? $"the database fills {Percent(fill!.Value)} of its {LdapSizing.Size(target.MaxSize!.Value)} map, over the threshold {Percent(desired.FillThreshold)}: writes stop when it is full"
            : null;
        var note = string.Join("; ", new[] { target.Sizing, over }.OfType<string>());
        if (attributes.Count == 0)
        {
            // A database nearly full is reported even when every attribute is as declared: drift shows it.
            return over is null ? ResourceChange.NoOp(desired) : ResourceChange.Blocked(desired, over + "; raise max_size (or declare auto)");
        }

        return new ResourceChange(desired.Address, ChangeAction.Update, attributes, desired.Source, note.Length == 0 ? null : note);
    }

    private static string Percent(double ratio) => (ratio * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string MaxSizeShown(LdapDatabaseObserved observed) =>
        observed.Attributes.GetValueOrDefault(LdapDatabaseResource.MaxSizeAttribute)?.FirstOrDefault() is { } live
            ? long.TryParse(live, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? $"{live} ({LdapSizing.Size(n)})" : live
            : $"{LdapDatabaseObserved.DefaultMaxSize} (10 MiB, the default)";

    private static string? Shown(IReadOnlyList<string>? values) => values is null || values.Count == 0 ? null : string.Join("; ", values);

    protected override string ApplyScript(LdapDatabaseResource desired, LdapDatabaseObserved observed, ResourceChange change)
    {
        var target = Decide(desired, observed);
        var ldif = new StringBuilder($"dn: {observed.Dn}\nchangetype: modify\n");
        foreach (var (attribute, values) in target.Changes)
        {
            ldif.Append($"replace: {attribute}\n");
            foreach (var value in values) ldif.Append($"{attribute}: {value}\n");
            ldif.Append("-\n");
        }

        return ShellFiles.Load("ldap.sh") + $"\nrc_ldap_modify {Sh.Quote(Sh.Base64(ldif.ToString()))} {Sh.Quote(SlapdD)}";
    }
}
