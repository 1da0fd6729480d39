namespace Reconciler.Core.Resources.Postfix;

/// <summary>
/// A lookup validation runs against the staged map (<c>postmap -q KEY mysql:STAGED</c>): the key must be found and,
/// when <paramref name="Expect"/> is given, postmap must print exactly that.
/// </summary>
public sealed record PostfixMapProbe(string Key, string? Expect);
