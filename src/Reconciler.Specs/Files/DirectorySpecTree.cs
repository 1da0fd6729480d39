using Reconciler.Core.Specs;

namespace Reconciler.Specs.Files;

/// <summary>
/// A specs directory on disk as an <see cref="ISpecTree"/>. Entries are looked at without following links (the loader
/// resolves them), and only the root's own spelling may pass through links (/tmp is one on some systems).
/// </summary>
internal sealed class DirectorySpecTree : ISpecTree
{
    public DirectorySpecTree(string directory)
    {
        var full = Path.GetFullPath(directory);
        Location = RealPath(full) ?? full;
    }

    public string Location { get; }

    public SpecTreeEntry EntryAt(string path)
    {
        var full = Full(path);
        try
        {
            var info = new FileInfo(full);
            if (info.LinkTarget is not null) return SpecTreeEntry.SymbolicLink;
            if (Directory.Exists(full)) return SpecTreeEntry.Directory;
            if (!info.Exists) return SpecTreeEntry.Missing;
            return UnixFileType.IsRegularFile(full) ? SpecTreeEntry.RegularFile : SpecTreeEntry.Other;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return SpecTreeEntry.Missing;
        }
    }

    public string LinkTarget(string path) => new FileInfo(Full(path)).LinkTarget ?? "";

    public IReadOnlyList<string> Names(string path) =>
        new DirectoryInfo(Full(path)).EnumerateFileSystemInfos().Select(i => i.Name).ToList();

    public (byte[]? Bytes, long Size) Read(string path, long maxBytes) => BoundedFile.Read(Full(path), maxBytes);

    private string Full(string path) => path.Length == 0 ? Location : Location == "/" ? "/" + path : Location + "/" + path;

    /// <summary>The path with every link in it replaced by its target (the root may be reached through links).</summary>
    private static string? RealPath(string full)
    {
        var current = "/";
        var pending = new Stack<string>(full.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        for (var hops = 0; pending.TryPop(out var part);)
        {
            if (part == ".") continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var next = current == "/" ? "/" + part : current + "/" + part;
            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                target = null;
            }

            if (target is null)
            {
                current = next;
                continue;
            }

            if (++hops > SpecsRoot.MaxLinkHops) return null;
            if (target.StartsWith('/')) current = "/";
            foreach (var component in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse()) pending.Push(component);
        }

        return current;
    }
}
