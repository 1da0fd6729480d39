namespace Reconciler.Core.Resources.Services;

/// <summary>What starts services on a host: systemd when /run/systemd/system exists, else init scripts and update-rc.d.</summary>
public enum ServiceManager
{
    Systemd,
    Sysv,
}
