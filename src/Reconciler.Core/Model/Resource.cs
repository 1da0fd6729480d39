using Reconciler.Core.Diagnostics;

namespace Reconciler.Core.Model;

/// <summary>A desired-state declaration for one host; each kind lives in its own folder under Resources/.</summary>
public abstract record Resource(SourceLocation Source)
{
    public abstract ResourceAddress Address { get; }
}
