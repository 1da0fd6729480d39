using System.Text;

namespace Reconciler.Core.Secrets;

/// <summary>
/// The secret values this run knows, by name, as the operator supplied them outside the repository (environment or a
/// secret file; reading those is the CLI's job). Specs only ever name a secret (<c>{ secret: NAME }</c>, or
/// <c>secret "NAME"</c> in a template); the value is looked up here, and every value here is masked in all output.
/// </summary>
public sealed class SecretStore
{
    private readonly Func<string, string?> _lookup;
    private readonly Dictionary<string, string> _resolved = new(StringComparer.Ordinal);
    private readonly HashSet<string> _tooLong = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <param name="lookup">Finds a secret's value by name, or null; asked at most once per name.</param>
    public SecretStore(Func<string, string?> lookup) => _lookup = lookup;

    public SecretStore(IReadOnlyDictionary<string, string> values)
        : this(name => values.TryGetValue(name, out var value) ? value : null)
    {
    }

    public static SecretStore Empty { get; } = new(_ => null);

    /// <summary>Secret names: lower-case letters, digits and underscores, starting with a letter.</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetterLower(name[0]) && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    /// <summary>
    /// The most a secret's value may hold, in UTF-8 bytes. Keys, passwords, tokens and PEM files are far smaller; the bound
    /// exists so that every form a template can place a secret in fits <see cref="MaxPlacedCharacters"/>: a value of 48 KiB
    /// is at most 48 Ki characters as it is and exactly 64 Ki in base64, and a salted hash is a hundred-odd.
    /// </summary>
    public const int MaxValueBytes = 48 * 1024;

    /// <summary>
    /// What each secret a template places counts against the rendered text's size limit, whatever its value and form: the
    /// template's output size then depends on how many secrets it places, never on how long they are, so no limit can
    /// tell a template (or whoever reads which render failed) anything about a value.
    /// </summary>
    public const int MaxPlacedCharacters = 64 * 1024;

    public const string EnvironmentPrefix = "RECONCILER_SECRET_";

    /// <summary>The environment variable naming a secret file (<c>name=value</c> lines, outside the repository).</summary>
    public const string FileVariable = "RECONCILER_SECRETS_FILE";

    /// <summary>The environment variable that supplies a secret: RECONCILER_SECRET_ and the name in upper case.</summary>
    public static string EnvironmentVariableFor(string name) => EnvironmentPrefix + name.ToUpperInvariant();

    /// <summary>
    /// Every value the operator supplied (each RECONCILER_SECRET_* variable, each line of the secret file), named by the
    /// specs or not: masked from the first byte of output, since a template may reach a secret without naming it.
    /// </summary>
    public IReadOnlyList<string> PresentValues { get; init; } = [];

    /// <summary>Every value looked up so far: what the redactor must mask once the specs are read.</summary>
    public IReadOnlyList<string> ResolvedValues
    {
        get
        {
            lock (_gate) return _resolved.Values.ToList();
        }
    }

    public bool TryGet(string name, out string value)
    {
        lock (_gate)
        {
            if (!_resolved.TryGetValue(name, out value!))
            {
                if (_tooLong.Contains(name) || _lookup(name) is not { Length: > 0 } found)
                {
                    return false;
                }

                if (Encoding.UTF8.GetByteCount(found) > MaxValueBytes)
                {
                    _tooLong.Add(name);
                    return false;
                }

                _resolved[name] = value = found;
            }

            return true;
        }
    }

    /// <summary>Why <see cref="TryGet"/> found no usable value for <paramref name="name"/>: not set, or longer than a secret may be.</summary>
    public string UnusableMessage(string name)
    {
        lock (_gate)
        {
            return _tooLong.Contains(name)
                ? $"secret '{name}' is longer than {MaxValueBytes} bytes, the most a secret may hold (each secret a template places counts as {MaxPlacedCharacters} characters whatever its value); supply a shorter value"
                : NotSetMessage(name);
        }
    }

    /// <summary>The one-line reason a secret is missing, saying where the operator can supply it.</summary>
    public static string NotSetMessage(string name) =>
        $"secret '{name}' is not set: export {EnvironmentVariableFor(name)}, or add '{name}=...' to the file named by {FileVariable}";
}
