using Reconciler.Core.Diagnostics;
using Reconciler.Core.Secrets;

namespace Reconciler.Core.Specs;

/// <summary>
/// Reads a field that may hold a secret: either written inline (a scalar) or, as it should be in a repository,
/// a reference <c>{ secret: NAME }</c> looked up in the run's <see cref="SecretStore"/>. The schema's
/// <c>#/definitions/secretRef</c> checks the reference's shape; a name with no value is reported here, at the name.
/// </summary>
public static class SecretReferences
{
    public const string Key = "secret";

    /// <summary>The field's value; null (with an error added) when it references a secret that is not set.</summary>
    public static string? Resolve(SpecNode node, SecretStore secrets, ICollection<Diagnostic> diagnostics)
    {
        switch (node)
        {
            case SpecScalar scalar:
                return scalar.RawText;
            case SpecMapping mapping when mapping.Scalar(Key) is { } name:
                if (secrets.TryGet(name.RawText, out var value))
                {
                    return value;
                }

                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.SecretNotSet, secrets.UnusableMessage(name.RawText), name.Location));
                return null;
            default:
                return null;
        }
    }

    /// <summary>Whether the field is a reference rather than an inline value.</summary>
    public static bool IsReference(SpecNode? node) => node is SpecMapping mapping && mapping.Scalar(Key) is not null;
}
