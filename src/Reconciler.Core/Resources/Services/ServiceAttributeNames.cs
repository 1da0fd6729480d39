using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.Services;

/// <summary>The attributes a service's change names, shared by its diff and its apply.</summary>
public static class ServiceAttributeNames
{
    public static readonly AttributeName Enabled = new("enabled");

    public static readonly AttributeName Running = new("running");

    public static readonly AttributeName Restart = new("restart");

    public static readonly AttributeName Reload = new("reload");

    public static readonly AttributeName DaemonReload = new("daemon-reload");
}
