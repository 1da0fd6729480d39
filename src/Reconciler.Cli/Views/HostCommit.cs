using Reconciler.Core.Plans;

namespace Reconciler.Cli.Views;

/// <summary>The commit a host was last applied at, when its state file was read; null when unknown or applied from a directory.</summary>
internal static class HostCommit
{
    public static string? Of(HostPlan host) => host.Applied?.Commit is { Length: > 0 } commit ? commit : null;
}
