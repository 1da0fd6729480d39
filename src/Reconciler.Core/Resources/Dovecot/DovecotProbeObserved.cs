namespace Reconciler.Core.Resources.Dovecot;

/// <summary>A login probe has no state of its own; the host only tells whether dovecot is there to probe.</summary>
public sealed record DovecotProbeObserved(bool Installed) : DovecotObserved(Installed);
