namespace Reconciler.Core.Engine;

public enum HostStage
{
    Connecting,
    Reading,
    Applying,
    Verifying,
    Done,
    Failed,
}
