namespace Reconciler.Core.Resources;

/// <summary>
/// A name grammar a kind's code checks with (<paramref name="Pattern"/>, as the code writes it) and the JSON pointer, into
/// the kind's schema fragment, of the <c>pattern</c> (or the one key of <c>patternProperties</c>) that must say the same.
/// </summary>
public sealed record KindGrammar(string SchemaPointer, string Pattern);
