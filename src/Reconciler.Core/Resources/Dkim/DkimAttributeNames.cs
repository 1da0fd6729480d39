using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.Dkim;

/// <summary>The attributes a DKIM domain's change names, shared by its gate (diff) and its apply.</summary>
public static class DkimAttributeNames
{
    /// <summary>Which selector opendkim signs the domain's mail with.</summary>
    public static readonly AttributeName Signing = new("signing");

    /// <summary>The key directory's mode and owner.</summary>
    public static readonly AttributeName KeyDirectory = new("key directory");

    /// <summary>The signer's configuration files, written whole (a group effect).</summary>
    public static readonly AttributeName Config = new("opendkim config");

    public static AttributeName Key(string selector) => new($"{selector}.key");

    public static AttributeName KeyFile(string selector) => new($"{selector}.key file");

    public static AttributeName Record(string selector) => new($"{selector}.record");

    /// <summary>One nameserver's answer for the selector's record.</summary>
    public static AttributeName At(string selector, string server) => new($"{selector} @ {server}");

    /// <summary>When every nameserver was first seen serving the key (the TTL gate counts from it).</summary>
    public static AttributeName Seen(string selector) => new($"{selector}.served since");

    /// <summary>When the key stopped signing (keep_after_switch counts from it).</summary>
    public static AttributeName Unsigned(string selector) => new($"{selector}.signing stopped");
}
