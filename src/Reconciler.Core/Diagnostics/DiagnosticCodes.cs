namespace Reconciler.Core.Diagnostics;

/// <summary>Stable codes, so CI annotations and documentation can refer to them.</summary>
public static class DiagnosticCodes
{
    // Reading YAML
    public const string YamlSyntax = "RC1001";
    public const string DuplicateKey = "RC1002";
    public const string AliasLimit = "RC1003";
    public const string FileTooLarge = "RC1004";
    public const string NotUtf8 = "RC1005";
    public const string NestingTooDeep = "RC1006";
    public const string UnreadableFile = "RC1007";

    // Schema
    public const string Schema = "RC2001";
    public const string UnknownFileKind = "RC2002";

    // Semantics
    public const string DuplicateResource = "RC3001";
    public const string PathNotNormalized = "RC3002";
    public const string ModeOutOfRange = "RC3003";
    public const string InvalidAddress = "RC3004";
    public const string UnknownVariable = "RC3005";
    public const string UnknownTarget = "RC3006";
    public const string TemplateMissing = "RC3007";
    public const string TemplateSyntax = "RC3008";
    public const string NoInventory = "RC3009";
    public const string InvalidHostKey = "RC3010";
    public const string DuplicateName = "RC3011";
    public const string InvalidValue = "RC3012";
    public const string SecretNotSet = "RC3013";
    public const string PermissionConflict = "RC3014";

    // Confinement: what a spec may make the controller read, and which names it may use
    public const string OutsideSpecs = "RC3015";
    public const string TemplateSandbox = "RC3016";

    /// <summary>A MariaDB database or table (or grant object) the inventory's <c>mariadb.manage</c> does not list for the host.</summary>
    public const string NotInInventoryScope = "RC3019";

    /// <summary>Hosts whose <c>via</c> bastions lead back to themselves: no route reaches them.</summary>
    public const string ViaCycle = "RC3020";

    /// <summary>Hosts whose route passes more bastions than one route may (<c>BastionRoutes.MaxBastions</c>).</summary>
    public const string ViaTooLong = "RC3021";

    // What one run may spend (spec files, bytes, declarations, resources)
    public const string RunBudget = "RC4001";
}
