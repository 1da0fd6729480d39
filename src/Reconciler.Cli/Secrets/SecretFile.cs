namespace Reconciler.Cli.Secrets;

/// <summary>
/// The secret file RECONCILER_SECRETS_FILE names, if any, and the two mistakes worth stopping for: keeping it inside
/// the repository (one `git add .` from being published) and leaving it readable by other users.
/// </summary>
internal sealed record SecretFile(string? Path)
{
    /// <summary>Why the file must not be used with these specs, or null: it lies inside their repository.</summary>
    public string? InsideRepositoryProblem(string specsDirectory)
    {
        if (Path is null)
        {
            return null;
        }

        var file = System.IO.Path.GetFullPath(Path);
        var root = RepositoryRoot(System.IO.Path.GetFullPath(specsDirectory));
        var prefix = root.EndsWith('/') ? root : root + "/";
        return file.StartsWith(prefix, StringComparison.Ordinal)
            ? $"{Path}: the secret file is inside the repository at {root}; keep it outside, where no commit can take it"
            : null;
    }

    /// <summary>A warning when group or others may read the file, or null.</summary>
    public string? PermissionWarning()
    {
        if (Path is null || OperatingSystem.IsWindows() || !File.Exists(Path))
        {
            return null;
        }

        const UnixFileMode OthersMayRead = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        var mode = File.GetUnixFileMode(Path);
        return (mode & OthersMayRead) == 0 ? null
            : $"warning: {Path}: the secret file is readable or writable by other users (mode {Convert.ToString((int)mode, 8).PadLeft(4, '0')}); chmod 600 it";
    }

    /// <summary>The git working tree holding the specs (the nearest parent with .git), else the specs directory itself.</summary>
    private static string RepositoryRoot(string specsDirectory)
    {
        for (var directory = new DirectoryInfo(specsDirectory); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(System.IO.Path.Combine(directory.FullName, ".git")) || File.Exists(System.IO.Path.Combine(directory.FullName, ".git")))
            {
                return directory.FullName;
            }
        }

        return specsDirectory;
    }
}
