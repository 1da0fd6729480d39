using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.Ldap;

/// <summary>The attributes an ldap_db_config change names, shared by its diff and its apply.</summary>
public static class LdapDbConfigAttributeNames
{
    /// <summary>DB_CONFIG's content, written whole.</summary>
    public static readonly AttributeName DbConfig = new(LdapDbConfigResource.FileName);

    /// <summary>The environment's region files, made again from DB_CONFIG when the running ones are older than it.</summary>
    public static readonly AttributeName Regions = new("regions");

    /// <summary>The service stopped, the region files removed, the service started (a group effect, once per service).</summary>
    public static readonly AttributeName Restart = new("restart");
}
