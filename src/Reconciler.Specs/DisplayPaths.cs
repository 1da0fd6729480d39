namespace Reconciler.Specs;

/// <summary>
/// Paths as diagnostics show them: relative to the working directory when inside it (short, clickable in CI logs),
/// otherwise absolute; always with forward slashes.
/// </summary>
internal sealed class DisplayPaths(string workingDirectory)
{
    public string Of(string fullPath)
    {
        var relative = Path.GetRelativePath(workingDirectory, fullPath);
        var outside = Path.IsPathRooted(relative)
            || relative == ".."
            || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return (outside ? fullPath : relative).Replace('\\', '/');
    }
}
