namespace Reconciler.Core.Shell;

/// <summary>
/// Shell functions that start, stop, reload or restart a service on systemd hosts and init-script hosts alike
/// (containers have no systemd). A provider that controls a daemon puts <see cref="Source"/> in its apply script.
/// </summary>
public static class ServiceControl
{
    /// <summary>What <c>rc_service</c> returns when neither systemd nor an init script knows the service.</summary>
    public const int NoManager = 127;

    /// <summary>rc_capture and rc_service (service-control.sh).</summary>
    public static string Source => ShellFiles.Load("service-control.sh");
}
