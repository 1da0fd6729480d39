namespace Reconciler.Core.Resources.Files;

public enum Ensure
{
    Present,
    Absent,
}
