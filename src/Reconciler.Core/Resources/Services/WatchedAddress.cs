using Reconciler.Core.Diagnostics;

namespace Reconciler.Core.Resources.Services;

/// <summary>An address in <c>restart_when</c> or <c>reload_when</c> (<c>file[/etc/postfix/main.cf]</c>), where it was written.</summary>
public sealed record WatchedAddress(string Address, SourceLocation Source);
