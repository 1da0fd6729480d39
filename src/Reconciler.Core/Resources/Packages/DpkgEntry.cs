namespace Reconciler.Core.Resources.Packages;

/// <summary>
/// One package as dpkg knows it: <paramref name="Status"/> is dpkg's three-letter abbreviation (want, status, error: "ii ",
/// "rc ", "iF "), <paramref name="Version"/> the installed (or last) version, <paramref name="Want"/> the selection
/// (install, hold, deinstall, purge, unknown).
/// </summary>
public sealed record DpkgEntry(string Status, string Version, string Want)
{
    /// <summary>Unpacked and configured (triggers pending or awaited still count: the package works).</summary>
    public bool Installed => Status[1] is 'i' or 'W' or 't';

    /// <summary>Removed with its config files kept.</summary>
    public bool ConfigFilesOnly => Status[1] == 'c';

    /// <summary>Something of it is on the host: installed, half-installed or its config files.</summary>
    public bool Present => Status[1] != 'n';

    public bool Held => Want == "hold";

    /// <summary>The state as the plan shows it.</summary>
    public string Shown => Status[1] switch
    {
        'n' => "not installed",
        'c' => $"removed, config files kept ({Version})",
        'i' or 'W' or 't' => $"installed ({Version})",
        'U' => $"unpacked, not configured ({Version})",
        'F' => $"half-configured ({Version}): its configuration failed",
        _ => $"half-installed ({Version})",
    };
}
