using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Engine;

/// <summary>
/// "After these, once" (a reload after the files it depends on): the plan shows <paramref name="Action"/> of
/// <paramref name="Target"/> with its <paramref name="Effects"/> once, on the first member it follows. <paramref name="Script"/>
/// runs once after the steps of every member it follows succeeded, and its failure fails them; null when a step carries
/// it out (a transaction that reloads and rolls back as one). <paramref name="Follows"/>: those members, null for all.
/// </summary>
public sealed record GroupEffect(AttributeName Action, string Target, ChangeEffects Effects, string? Script = null, IReadOnlyList<Resource>? Follows = null);
