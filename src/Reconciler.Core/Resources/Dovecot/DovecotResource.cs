using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Dovecot;

/// <summary>
/// A dovecot declaration: a configuration file (<see cref="DovecotFileResource"/>) or a login that must keep working
/// (<see cref="DovecotProbeResource"/>). One provider handles both, so all of a host's dovecot changes form one
/// transaction and every probe runs inside it.
/// </summary>
public abstract record DovecotResource(SourceLocation Source) : Resource(Source);
