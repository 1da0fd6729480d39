using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Postfix;

/// <summary>
/// A postfix setting, main.cf (<see cref="PostfixMainResource"/>) or master.cf (<see cref="PostfixMasterResource"/>).
/// One provider handles both kinds so that all of a host's postfix changes form one transaction.
/// </summary>
public abstract record PostfixResource(SourceLocation Source) : Resource(Source);
