using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.Dovecot;

/// <summary>The attributes a dovecot file's plan names besides the file's own (<see cref="Files.FileAttributeNames"/>).</summary>
public static class DovecotAttributeNames
{
    public static readonly AttributeName Reload = new("reload");
    public static readonly AttributeName Restart = new("restart");
}
