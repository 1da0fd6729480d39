namespace Reconciler.Core.Resources.Services;

/// <summary>
/// A service as the host's manager reports it. <paramref name="Exists"/>: the unit (or init script) is known;
/// <paramref name="FileState"/>: systemd's UnitFileState (or "enabled"/"disabled" from the rc links);
/// <paramref name="Active"/>: it runs now; <paramref name="Unknown"/>, when set, why its state cannot be told.
/// </summary>
public sealed record ServiceObserved(ServiceManager Manager, bool Exists, string FileState, bool Active, string? Unknown = null)
{
    public bool Masked => FileState is "masked" or "masked-runtime";

    /// <summary>Starts at boot: null when the file state says neither (static, generated, indirect, transient).</summary>
    public bool? Enabled => FileState switch
    {
        "enabled" or "enabled-runtime" or "linked" or "linked-runtime" or "alias" => true,
        "disabled" or "masked" or "masked-runtime" => false,
        _ => null,
    };

    public string ManagerName => Manager == ServiceManager.Systemd ? "systemd" : "sysv init scripts (/etc/init.d, update-rc.d)";
}
