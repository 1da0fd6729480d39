using System.Text.RegularExpressions;

namespace Reconciler.Core.Resources.Ldap;

/// <summary>
/// What an ldap_database or ldap_db_config declaration may name. Every value ends up in an LDIF line sent to ldapmodify, so nothing may
/// break LDIF: no line break, no leading space, ':' or '<' (which would make a value base64 or a URL), printable ASCII only.
/// </summary>
public static class LdapNames
{
    /// <summary>A suffix: RDNs of letter-digit attribute names and plain values (letters, digits, '.', '_', '-', inner spaces).</summary>
    public const string SuffixPattern =
        "^[A-Za-z][A-Za-z0-9-]{0,62}=[A-Za-z0-9._-]([A-Za-z0-9 ._-]{0,126}[A-Za-z0-9._-])?(,[A-Za-z][A-Za-z0-9-]{0,62}=[A-Za-z0-9._-]([A-Za-z0-9 ._-]{0,126}[A-Za-z0-9._-])?){0,15}$";

    /// <summary>An MDB database attribute of cn=config (olcDb...).</summary>
    public const string AttributePattern = "^olcDb[A-Za-z]{1,60}$";

    /// <summary>A value: printable ASCII, not starting with a space, ':' or '<', not ending with a space, at most 1024 characters.</summary>
    public const string ValuePattern = "^[!-9;=-~]([ -~]{0,1022}[!-~])?$";

    /// <summary>
    /// A DB_CONFIG directive line passed through (<c>other</c>): a Berkeley DB directive name (set_flags, mutex_set_max,
    /// set_lk_max_locks, rep_set_*, log_set_config...: the families DB_CONFIG knows, so a line another program would read
    /// as its own — a sudoers rule — is not one) and up to 15 arguments of printable ASCII, one space between — no line break, no tab, no
    /// comment, nothing that is not a directive.
    /// </summary>
    public const string DbConfigLinePattern = "^(set|mutex|rep|repmgr|log|txn|lock)_[a-z0-9_]{1,60}( [!-~]{1,255}){0,15}$";

    /// <summary>
    /// What in an attribute's name (any case) says its value may hold a secret: passwords (olcRootPW, olcDbRootPW,
    /// olcDbACLPasswd), credentials, and the bind settings whose values carry <c>credentials=</c> (olcDbIDAssertBind,
    /// olcDbACLBind of back-ldap and back-meta: a name ending in Bind, as olcDbIndex is not), keys. ldap-read.sh withholds the same names on the host (a test compares them).
    /// </summary>
    public const string SensitivePattern = "pass|pw|secret|cred|bind$|key|crypt";

    /// <summary>Attribute names whose values are secrets: never read into a plan, never declared here.</summary>
    public static bool IsSensitive(string attribute) => Sensitive.IsMatch(attribute);

    /// <summary>Attributes this kind sets through its own keys or never changes, as slapd spells them.</summary>
    private static readonly string[] OwnKeys = ["olcDbMaxSize", "olcDbCheckpoint", "olcDbIndex", "olcDbDirectory"];

    /// <summary>
    /// The attribute <paramref name="attribute"/> names among those with their own key (or olcDbDirectory), in any case —
    /// LDAP attribute names do not depend on case — or null.
    /// </summary>
    public static string? OwnKey(string attribute) => OwnKeys.FirstOrDefault(k => string.Equals(k, attribute, StringComparison.OrdinalIgnoreCase));

    public static bool IsSuffix(string text) => Suffix.IsMatch(text);

    public static bool IsAttribute(string text) => Attribute.IsMatch(text);

    public static bool IsValue(string text) => Value.IsMatch(text);

    public static bool IsDbConfigLine(string text) => DbConfigLine.IsMatch(text);

    /// <summary>
    /// A service as systemctl and /etc/init.d name it (slapd, not slapd.service), the services kind's grammar: what
    /// ldap_db_config stops and starts. Never a '/', so /etc/init.d/NAME is always a file in /etc/init.d.
    /// </summary>
    public const string ServiceNamePattern = "^[A-Za-z0-9][A-Za-z0-9_.@:-]{0,99}$";

    public static bool IsServiceName(string text) => ServiceName.IsMatch(text);

    private static readonly Regex Suffix = new(SuffixPattern[..^1] + "\\z");
    private static readonly Regex Attribute = new(AttributePattern[..^1] + "\\z");
    private static readonly Regex Value = new(ValuePattern[..^1] + "\\z");
    private static readonly Regex DbConfigLine = new(DbConfigLinePattern[..^1] + "\\z");
    private static readonly Regex ServiceName = new(ServiceNamePattern[..^1] + "\\z");
    private static readonly Regex Sensitive = new(SensitivePattern, RegexOptions.IgnoreCase);
}
