using System.Text.RegularExpressions;

namespace Reconciler.Core.Resources.Permissions;

/// <summary>
/// Clear-only symbolic modes as chmod reads them: clauses WHO-PERMS separated by commas, WHO from [ugoa], PERMS from
/// [rwxst]. As in chmod, 's' means set-uid for u and set-gid for g, and 't' (sticky) counts only for o or a.
/// </summary>
public static partial class RemovedBits
{
    // Bits as binary literals grouped like octal digits: special (set-uid, set-gid, sticky), owner, group, others.
    private static readonly (char Who, int Bits)[] WhoBits =
        [('u', 0b100_111_000_000), ('g', 0b010_000_111_000), ('o', 0b001_000_000_111)];

    private static readonly (char Perm, int Bits)[] PermBits =
    [
        ('r', 0b000_100_100_100), ('w', 0b000_010_010_010), ('x', 0b000_001_001_001),
        ('s', 0b110_000_000_000), ('t', 0b001_000_000_000),
    ];

    private static readonly (int Bit, string Name)[] BitNames =
    [
        (0b100_000_000_000, "set-uid"), (0b010_000_000_000, "set-gid"), (0b001_000_000_000, "sticky"),
        (0b100_000_000, "owner-readable"), (0b010_000_000, "owner-writable"), (0b001_000_000, "owner-executable"),
        (0b100_000, "group-readable"), (0b010_000, "group-writable"), (0b001_000, "group-executable"),
        (0b100, "world-readable"), (0b010, "world-writable"), (0b001, "world-executable"),
    ];

    /// <summary>The <c>remove:</c> grammar; the schema carries it with '$' for '\z' (a test compares them).</summary>
    public const string SyntaxPattern = "^[ugoa]+-[rwxst]+(,[ugoa]+-[rwxst]+)*\\z";

    [GeneratedRegex(SyntaxPattern)]
    private static partial Regex Syntax();

    /// <summary>Why <paramref name="expression"/> is not a usable clear-only mode, or null.</summary>
    public static string? Problem(string expression)
    {
        if (!Syntax().IsMatch(expression))
        {
            return $"permissions remove '{expression}' is not a clear-only symbolic mode like 'g-w' or 'g-w,o-w' (who from u, g, o, a; '-'; bits from r, w, x, s, t)";
        }

        var empty = expression.Split(',').FirstOrDefault(c => ClauseMask(c) == 0);
        return empty is null
            ? null
            : $"permissions remove clause '{empty}' clears no bit: 's' applies to u or g, 't' to o or a";
    }

    /// <summary>One spelling per meaning: who in u, g, o order ("a" for all three), bits in r, w, x, s, t order.</summary>
    public static string Normalize(string expression) => string.Join(',', expression.Split(',').Select(clause =>
    {
        var (who, perms) = Split(clause);
        var normalizedWho = new string("ugo".Where(w => who.Contains(w) || who.Contains('a')).ToArray());
        return (normalizedWho == "ugo" ? "a" : normalizedWho) + "-" + new string("rwxst".Where(perms.Contains).ToArray());
    }));

    public static int Mask(string expression) => expression.Split(',').Aggregate(0, (mask, clause) => mask | ClauseMask(clause));

    /// <summary>Octal with four digits, as find's -perm and the plan show modes.</summary>
    public static string Octal(int mask) => Convert.ToString(mask, 8).PadLeft(4, '0');

    /// <summary>The plan's name for paths having any of these bits, e.g. "group-writable".</summary>
    public static string Describe(int mask) =>
        string.Join(" or ", BitNames.Where(b => (mask & b.Bit) != 0).Select(b => b.Name));

    private static int ClauseMask(string clause)
    {
        var (who, perms) = Split(clause);
        var whoMask = WhoBits.Where(w => who.Contains(w.Who) || who.Contains('a')).Aggregate(0, (m, w) => m | w.Bits);
        var permMask = PermBits.Where(p => perms.Contains(p.Perm)).Aggregate(0, (m, p) => m | p.Bits);
        return whoMask & permMask;
    }

    private static (string Who, string Perms) Split(string clause)
    {
        var dash = clause.IndexOf('-');
        return dash < 0 ? (clause, "") : (clause[..dash], clause[(dash + 1)..]);
    }
}
