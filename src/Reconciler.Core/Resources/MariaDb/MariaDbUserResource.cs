using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary>
/// A user <c>NAME@HOST</c> with a mysql_native_password password and exactly the declared privileges on each declared
/// object. The password is compared by its hash and written as one, so the plaintext never reaches the host.
/// Grants on objects not declared are left alone.
/// </summary>
public sealed record MariaDbUserResource(string Name, string Host, string Password, IReadOnlyList<MariaDbGrant> Grants, SourceLocation Source)
    : MariaDbResource(Source)
{
    public const string KindName = "mariadb_user";

    public override ResourceAddress Address => new(KindName, $"{Name}@{Host}");

    /// <summary>How information_schema names the account: <c>'NAME'@'HOST'</c>.</summary>
    public string Grantee => $"'{Name}'@'{Host}'";

    /// <summary>Never prints the password, whoever formats the record.</summary>
    public override string ToString() =>
        $"{nameof(MariaDbUserResource)} {{ {Address}, Password = {PlanValue.SensitiveText}, Grants = {string.Join("; ", Grants.Select(g => $"{g.On}: {string.Join(", ", g.Privileges)}"))} }}";
}
