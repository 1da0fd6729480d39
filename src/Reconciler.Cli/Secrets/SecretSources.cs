using Reconciler.Core.Secrets;

namespace Reconciler.Cli.Secrets;

/// <summary>
/// Where a run's secrets come from, outside the repository: an environment variable per secret
/// (<c>RECONCILER_SECRET_MAIL_DB_PASSWORD</c> for <c>mail_db_password</c>, as CI secrets are passed), else the file
/// named by <c>RECONCILER_SECRETS_FILE</c> (<c>name=value</c> lines, <c>#</c> comments), as a cron job keeps them.
/// </summary>
internal static class SecretSources
{
    /// <summary>The store, or the one-line reason the secret file cannot be used.</summary>
    /// <param name="environmentNames">The names of the variables present, so that every RECONCILER_SECRET_* value is
    /// masked whether or not a spec names it (a template may reach one by other means).</param>
    public static (SecretStore? Store, string? Error) Open(Func<string, string?> environment, IEnumerable<string>? environmentNames = null)
    {
        var fromFile = new Dictionary<string, string>(StringComparer.Ordinal);
        if (environment(SecretStore.FileVariable) is { Length: > 0 } path)
        {
            if (Read(path, fromFile) is { } error)
            {
                return (null, $"{path}: {error}");
            }
        }

        var present = (environmentNames ?? [])
            .Where(n => n.StartsWith(SecretStore.EnvironmentPrefix, StringComparison.Ordinal))
            .Select(environment).OfType<string>()
            .Concat(fromFile.Values)
            .ToList();
        return (new SecretStore(name => environment(SecretStore.EnvironmentVariableFor(name)) is { Length: > 0 } value
            ? value
            : fromFile.GetValueOrDefault(name)) { PresentValues = present }, null);
    }

    private static string? Read(string path, Dictionary<string, string> into)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return $"cannot read the secret file ({SecretStore.FileVariable}): {e.Message}";
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? line.Trim() : line[..equals].Trim();
            // The line itself is never quoted back: it may hold a value.
            if (equals < 0 || !SecretStore.IsValidName(name))
            {
                return $"line {i + 1}: expected name=value with a name of lower-case letters, digits and '_'";
            }

            into[name] = line[(equals + 1)..];
        }

        return null;
    }
}
