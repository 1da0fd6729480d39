using Reconciler.Core.Model;

namespace Reconciler.Core.Engine;

/// <summary>
/// One member of a <see cref="ChangeGroup"/>: <paramref name="Script"/> applies <paramref name="Member"/>'s change, or
/// confirms that an earlier step applied it, under <c>set -e</c>; <paramref name="Note"/>, when given, is its plan note.
/// </summary>
public sealed record GroupStep(Resource Member, string Script, string? Note = null);
