namespace Reconciler.Ssh;

/// <summary>
/// How a dead connection is found: SSH keepalives every <see cref="KeepAlive"/> (which also fail fast on a reset
/// connection), and for a script still running after <see cref="Interval"/>, a probe that must answer within
/// <see cref="Timeout"/> — a silently dropped connection accepts writes and never answers, so only a reply tells.
/// </summary>
public sealed record SshLiveness(TimeSpan KeepAlive, TimeSpan Interval, TimeSpan Timeout)
{
    public static SshLiveness Default { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
}
