using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.Postfix;

/// <summary>The attributes postfix plans name: main.cf parameters, master.cf columns, map settings and files, the reload.</summary>
public static class PostfixAttributeNames
{
    /// <summary>Said by the change that carries the host's postfix transaction, once per host.</summary>
    public static readonly AttributeName Reload = new("reload");

    /// <summary>A master.cf service's whole line, when the service is new.</summary>
    public static readonly AttributeName Entry = new("entry");

    public static readonly AttributeName Path = new("path");
    public static readonly AttributeName Owner = new("owner");
    public static readonly AttributeName Mode = new("mode");

    /// <summary>A map whose settings all match but whose text differs (comments, order, spacing).</summary>
    public static readonly AttributeName Text = new("text");

    /// <summary>Settings of an unreadable map the spec does not declare: only counted.</summary>
    public static readonly AttributeName OtherSettings = new("other settings");

    public static readonly AttributeName Password = Setting(PostfixMapResource.PasswordKey);

    /// <summary>A main.cf parameter, by its name.</summary>
    public static AttributeName Parameter(string name) => new(name);

    /// <summary>A master.cf column of an existing service, by its name.</summary>
    public static AttributeName Column(string name) => new(name);

    /// <summary>A map's setting, by its key.</summary>
    public static AttributeName Setting(string key) => new(key);
}
