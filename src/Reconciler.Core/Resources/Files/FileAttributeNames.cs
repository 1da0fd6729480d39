using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.Files;

/// <summary>The attributes a file's plan names; its diff and apply script share them.</summary>
public static class FileAttributeNames
{
    public static readonly AttributeName Type = new("type");
    public static readonly AttributeName Content = new("content");
    public static readonly AttributeName Owner = new("owner");
    public static readonly AttributeName Group = new("group");
    public static readonly AttributeName Mode = new("mode");
    public static readonly AttributeName Attributes = new("attributes");
}
