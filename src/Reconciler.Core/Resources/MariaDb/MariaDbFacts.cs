namespace Reconciler.Core.Resources.MariaDb;

/// <summary>
/// What the read printed, decoded: tab-separated lines tagged by their first field, names and values hex-encoded by
/// the query (so tabs, newlines and NULL come back exactly). <c>X</c> says MariaDB could not be read at all. <c>R</c>
/// lines are declared rows (their declared columns); <c>K</c> lines are the key of every live row of an exclusive table.
/// </summary>
internal sealed record MariaDbFacts(
    string? Unavailable,
    IReadOnlyDictionary<string, (string Charset, string Collation)> Databases,
    IReadOnlyDictionary<(string Database, string Table), IReadOnlyList<string>> Columns,
    IReadOnlyDictionary<(string User, string Host), (string Plugin, string? Authentication)> Users,
    IReadOnlyList<(string Grantee, string Database, string? Table, string Privilege)> Grants,
    IReadOnlyDictionary<int, IReadOnlyList<string>> RowColumns,
    ILookup<int, IReadOnlyList<string?>> Rows,
    ILookup<int, IReadOnlyList<string?>> Keys)
{
    public const string UnavailableTag = "X";
    public const string DatabaseTag = "D";
    public const string ColumnTag = "C";
    public const string UserTag = "U";
    public const string GrantTag = "G";
    public const string RowHeaderTag = "H";
    public const string RowTag = "R";
    public const string KeyTag = "K";

    public static MariaDbFacts Parse(IReadOnlyList<string> lines)
    {
        string? unavailable = null;
        var databases = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        var columns = new Dictionary<(string, string), List<string>>();
        var users = new Dictionary<(string, string), (string, string?)>();
        var grants = new List<(string, string, string?, string)>();
        var headers = new Dictionary<int, IReadOnlyList<string>>();
        var rows = new List<(int Index, IReadOnlyList<string?> Values)>();
        var keys = new List<(int Index, IReadOnlyList<string?> Values)>();
        foreach (var line in lines)
        {
            var f = line.Split('\t');
            string Hex(int i) => MariaDbSql.FromHex(f[i]) ?? "";
            switch (f[0])
            {
                case UnavailableTag when f.Length >= 2:
                    unavailable ??= string.Join(' ', f.Skip(1)).Trim();
                    break;
                case DatabaseTag when f.Length == 4:
                    databases[Hex(1)] = (f[2], f[3]);
                    break;
                case ColumnTag when f.Length == 4:
                    var key = (Hex(1), Hex(2));
                    (columns.TryGetValue(key, out var list) ? list : columns[key] = []).Add(Hex(3));
                    break;
                case UserTag when f.Length == 5:
                    users[(Hex(1), Hex(2))] = (Hex(3), MariaDbSql.FromHex(f[4]));
                    break;
                case GrantTag when f.Length == 5:
                    grants.Add((Hex(1), Hex(2), f[3] == "*" ? null : Hex(3), Hex(4)));
                    break;
                case RowHeaderTag when f.Length == 3 && int.TryParse(f[1], out var h):
                    headers[h] = f[2].Length == 0 ? [] : f[2].Split(',').Select(c => MariaDbSql.FromHex(c) ?? "").ToList();
                    break;
                case RowTag when f.Length >= 2 && int.TryParse(f[1], out var r):
                    rows.Add((r, f.Skip(2).Select(MariaDbSql.FromHex).ToList()));
                    break;
                case KeyTag when f.Length >= 3 && int.TryParse(f[1], out var k):
                    keys.Add((k, f.Skip(2).Select(MariaDbSql.FromHex).ToList()));
                    break;
            }
        }

        return new MariaDbFacts(
            unavailable,
            databases,
            columns.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)c.Value),
            users,
            grants,
            headers,
            rows.ToLookup(r => r.Index, r => r.Values),
            keys.ToLookup(k => k.Index, k => k.Values));
    }
}
