namespace Reconciler.Core.Resources.Dovecot;

/// <summary>What dovecot looks like for one declaration.</summary>
public abstract record DovecotObserved(bool Installed);
