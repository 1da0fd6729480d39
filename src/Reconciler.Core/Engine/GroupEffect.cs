using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Engine;

/// <summary>
/// "After these, once" (a reload after the files it depends on): the plan shows <paramref name="Action"/> of
/// <paramref name="Target"/> with its <paramref name="Effects"/> once, on the first member it follows. <paramref name="Script"/>
/// runs once after the steps of every member it follows succeeded, and its failure fails them; null when a step carries
/// it out (a transaction that reloads and rolls back as one). <paramref name="Follows"/>: those members, null for all;
/// it may also name changing resources of other kinds (a service restarted after a file), which only gate it: the effect
/// runs after them and only if they succeeded, and its failure fails only the group's own members. The plan shows it on
/// the first resource it follows (a member that does not change otherwise becomes an update because of it), with
/// <paramref name="Reason"/> after the target when given ("postfix: because file[/etc/postfix/main.cf] changes").
/// </summary>
public sealed record GroupEffect(
    AttributeName Action, string Target, ChangeEffects Effects, string? Script = null, IReadOnlyList<Resource>? Follows = null, string? Reason = null);
