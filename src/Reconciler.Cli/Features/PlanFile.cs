using System.Text;
using Reconciler.Cli.Views;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Features;

/// <summary>
/// A plan file another job wrote — a shard's part that merge joins, the saved plan apply --plan applies — read only if
/// it is a regular file (a FIFO or a device named by mistake never blocks the run) and only up to <see cref="MaxBytes"/>:
/// its content is not this run's own, so neither its size nor its kind may decide how much the run reads.
/// </summary>
internal static class PlanFile
{
    /// <summary>Far above any plan a run writes (a thousand hosts' drift with their health and mail figures is tens of MB).</summary>
    public const int MaxBytes = 256 * 1024 * 1024;

    /// <exception cref="IOException">The file cannot be read, or is not a regular file.</exception>
    /// <exception cref="FormatException">It is larger than <see cref="MaxBytes"/>, or not a plan (<see cref="PlanJsonView.ParseWithTime"/>).</exception>
    public static (Plan Plan, DateTimeOffset GeneratedAt) Read(string path)
    {
        var (bytes, notRegular) = Ssh.RegularFile.Read(path, MaxBytes + 1, followLink: true);
        if (notRegular is not null) throw new IOException($"it is {notRegular}, not a regular file");
        if (bytes.Length > MaxBytes) throw new FormatException($"not a reconciler plan: larger than {MaxBytes / 1024 / 1024} MiB");
        return PlanJsonView.ParseWithTime(Encoding.UTF8.GetString(bytes));
    }
}
