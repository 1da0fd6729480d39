using Reconciler.Core.Plans;

namespace Reconciler.Cli.Features;

/// <summary>terraform plan -detailed-exitcode semantics, shared by plan and drift.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int Changes = 2;

    /// <summary>1 when any host could not be read or a resource is blocked, else 2 when anything would change, else 0.</summary>
    public static int For(Plan plan) => plan.HasErrors ? Error : plan.HasChanges ? Changes : Ok;
}
