namespace Reconciler.Ssh;

/// <summary>
/// How much of one command's output the controller keeps in memory. A host can print without end (a replaced
/// <c>stat</c>, a file that is really <c>/dev/zero</c>): past a limit the command is stopped and the host gets an
/// error of its own, so one host can neither exhaust the controller nor end the run for the others.
/// </summary>
public sealed record OutputLimits(int StdoutBytes, int StderrBytes)
{
    /// <summary>Far above any honest answer (a plan shows file content only up to 64 KiB per file).</summary>
    public static readonly OutputLimits Default = new(64 * 1024 * 1024, 1024 * 1024);

    public static string Describe(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : bytes % 1024 == 0 ? $"{bytes / 1024} KiB" : $"{bytes} bytes";
}
