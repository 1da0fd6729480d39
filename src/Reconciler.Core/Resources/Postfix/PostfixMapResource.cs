using System.Text;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Postfix;

/// <summary>
/// A lookup-table configuration file in postfix's config_directory (e.g. <c>mysql_virtual_alias_maps.cf</c>, named in
/// main.cf as <c>mysql:/etc/postfix/NAME</c>), written in the same transaction as main.cf and master.cf. Only
/// mysql_table(5) files for now: <paramref name="Settings"/> are its non-secret <c>key = value</c> lines in the order
/// rendered; <paramref name="Password"/> is kept apart because it never appears in a plan, a diff or a fact.
/// </summary>
public sealed record PostfixMapResource(
    string Name,
    string Type,
    IReadOnlyList<KeyValuePair<string, string>> Settings,
    string? Password,
    PostfixMapProbe? Probe,
    SourceLocation Source) : PostfixResource(Source)
{
    public const string KindName = "postfix_map";

    public const string PasswordKey = "password";

    /// <summary>Mode, and the owner; the group is mail_owner's (Debian: postfix), whose daemons (cleanup, trivial-rewrite) read the file.</summary>
    public const string Mode = "640";

    public const string Owner = "root";

    /// <summary>Without a declared probe, validation looks this key up: it cannot exist, so only a broken table prints anything.</summary>
    public const string AbsentKey = "reconciler-probe@invalid";

    /// <summary>The keys mysql_table(5) reads, in the order they are rendered (password after user).</summary>
    public static readonly IReadOnlyList<string> MysqlKeys =
        ["hosts", "user", PasswordKey, "dbname", "query", "table", "select_field", "where_field", "additional_conditions"];

    public override ResourceAddress Address => new(KindName, Name);

    /// <summary>The whole file, deterministic: a header, then one <c>key = value</c> line per setting.</summary>
    public string Render()
    {
        var text = new StringBuilder($"# {Address}: written by reconciler; edits here are overwritten.\n");
        foreach (var key in MysqlKeys)
        {
            var value = key == PasswordKey ? Password : Settings.FirstOrDefault(s => s.Key == key).Value;
            if (value is not null)
            {
                text.Append(key).Append(" = ").Append(value).Append('\n');
            }
        }

        return text.ToString();
    }

    // A record prints every member; this one must never print the password (exceptions, test failures, logs).
    protected override bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Name = {Name}, Type = {Type}, Settings = [{string.Join(", ", Settings.Select(s => $"{s.Key} = {s.Value}"))}], ");
        builder.Append($"Password = {(Password is null ? "(unset)" : Plans.PlanValue.SensitiveText)}, Probe = {Probe}, Source = {Source}");
        return true;
    }
}
