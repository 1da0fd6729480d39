namespace Reconciler.Cli.Features;

/// <summary>terraform plan -detailed-exitcode semantics, shared by plan and drift.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int Changes = 2;
}
