using Reconciler.Core.Secrets;

namespace Reconciler.Cli.Secrets;

/// <summary>
/// The secret store of <c>validate --secrets-by-name</c>: a pull request from a fork is validated without any secret
/// value (GitHub gives it none, and it must not get one), yet its secret references still have to be checked. A name
/// resolves to a stand-in that is not a secret, so templates render and every other rule runs as in a real plan. When
/// <c>RECONCILER_SECRET_NAMES</c> lists the names the workflow passes to the plan, any other name is not set, exactly
/// as the plan would find it; without the list every well-formed name is accepted.
/// </summary>
internal static class SecretNamesOnly
{
    /// <summary>The environment variable listing the known secret names (spaces, commas or newlines between them).</summary>
    public const string NamesVariable = "RECONCILER_SECRET_NAMES";

    /// <summary>The store, or the one-line reason the declared list cannot be used.</summary>
    public static (SecretStore? Store, string? Error) Open(Func<string, string?> environment)
    {
        if (environment(NamesVariable) is not { } list || list.Trim().Length == 0)
        {
            return (new SecretStore(StandIn), null);
        }

        var names = list.Split([' ', ',', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (names.FirstOrDefault(n => !SecretStore.IsValidName(n)) is { } bad)
        {
            return (null, $"{NamesVariable}: '{bad}' is not a secret name (lower-case letters, digits and '_', starting with a letter)");
        }

        var known = names.ToHashSet(StringComparer.Ordinal);
        return (new SecretStore(name => known.Contains(name) ? StandIn(name) : null), null);
    }

    /// <summary>What a secret reads as when only its name is checked: one line, no real value, and saying so.</summary>
    public static string StandIn(string name) => $"secret-checked-by-name-only:{name}";
}
