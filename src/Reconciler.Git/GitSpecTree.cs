using System.Text;
using LibGit2Sharp;
using Reconciler.Core.Specs;

namespace Reconciler.Git;

/// <summary>
/// A directory of a commit's tree served from git objects in memory: nothing is written to disk, so no entry name or
/// link in a pull request's tree can make the controller write anywhere. Every tree on the way to the directory and
/// every tree below it is checked when opened; a tree holding a name git itself would refuse to check out
/// (<see cref="NameProblem"/>) is refused whole, naming the entry by its path in the tree.
/// </summary>
internal sealed class GitSpecTree : ISpecTree
{
    /// <summary>Linux's PATH_MAX: a longer link target is not a path.</summary>
    private const long MaxLinkBytes = 4096;

    /// <summary>
    /// More entries than any specs directory has: a pull request's tree of millions of entries is refused before it
    /// costs the controller memory for each.
    /// </summary>
    public const int MaxEntries = 100_000;

    /// <summary>
    /// Directories nested below the specs directory. Honest layouts are two to four levels deep (hosts/web/files/...);
    /// 64 is far past any of them, while a pull request's chain of thousands of one-entry trees (a few hundred KB of
    /// objects) is refused after 64 small steps instead of costing a step, a full path and a stack frame per level.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>Linux's PATH_MAX: no longer path could be checked out, so none is read.</summary>
    public const int MaxPathCharacters = 4096;

    /// <summary>
    /// The characters of every indexed path added up (about 16 MB of strings): entries times path length is what the
    /// index costs, and MaxEntries long paths would otherwise be ~800 MB. Thousands of honest files use a fraction.
    /// </summary>
    public const long MaxTotalPathCharacters = 8_000_000;

    private readonly Dictionary<string, Node> _nodes = new(StringComparer.Ordinal);

    private readonly ObjectDatabase _objects;

    private GitSpecTree(ObjectDatabase objects, string location)
    {
        _objects = objects;
        Location = location;
    }

    public string Location { get; }

    /// <summary>
    /// The directory <paramref name="directory"/> ('/'-separated, "" for the root) of <paramref name="commit"/>'s tree,
    /// or null when the commit has no such directory.
    /// </summary>
    /// <exception cref="GitRepositoryException">A tree on the way or below holds a refused name, or an object is missing.</exception>
    public static GitSpecTree? Open(ObjectDatabase objects, Commit commit, string directory, string location)
    {
        var where = $"commit {commit.Sha[..7]}";
        var tree = commit.Tree;
        var path = "";
        CheckNames(tree, path, where);
        foreach (var component in directory.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (component is "." or "..")
            {
                throw new GitRepositoryException($"{where}: the specs directory '{directory}' must not contain '.' or '..'");
            }

            path = Join(path, component);
            if (tree.FirstOrDefault(e => e.Name == component) is not { Mode: Mode.Directory, Target: Tree sub })
            {
                return null;
            }

            tree = sub;
            CheckNames(tree, path, where);
        }

        var opened = new GitSpecTree(objects, location);
        opened._nodes[""] = new Node(SpecTreeEntry.Directory, null, null, tree.Select(e => e.Name).ToList());
        opened.Index(tree, path, where);
        return opened;
    }

    public SpecTreeEntry EntryAt(string path) => _nodes.TryGetValue(path, out var node) ? node.Type : SpecTreeEntry.Missing;

    public string LinkTarget(string path) => _nodes.TryGetValue(path, out var node) ? node.LinkTarget ?? "" : "";

    public IReadOnlyList<string> Names(string path) =>
        _nodes.TryGetValue(path, out var node) && node.Names is { } names ? names : throw new DirectoryNotFoundException($"no directory '{path}' in the tree");

    public (byte[]? Bytes, long Size) Read(string path, long maxBytes)
    {
        if (!_nodes.TryGetValue(path, out var node) || node is not { Type: SpecTreeEntry.RegularFile, Blob: { } blob })
        {
            throw new FileNotFoundException($"no file '{path}' in the tree");
        }

        if (blob.Size > maxBytes)
        {
            return (null, blob.Size);
        }

        try
        {
            var bytes = ReadBounded(blob, maxBytes);
            return bytes.Length > maxBytes ? (null, bytes.Length) : (bytes, bytes.Length);
        }
        catch (LibGit2SharpException e)
        {
            throw new IOException($"cannot read '{path}' from git: {e.Message}", e);
        }
    }

    /// <summary>Why git would refuse <paramref name="name"/> as a tree entry (as <c>git fsck</c> does), or null.</summary>
    internal static string? NameProblem(string name) =>
        name.Length == 0 ? "the name is empty"
        : name.Contains('/') ? "the name holds '/'"
        : name.Contains('\0') ? "the name holds NUL"
        : name is "." or ".." ? $"the name is '{name}'"
        : name.Equals(".git", StringComparison.OrdinalIgnoreCase) ? "the name is .git"
        : null;

    /// <summary>
    /// Every entry below the specs directory, walked with an explicit stack so the controller's own stack does not grow
    /// with the tree: a pull request can nest tens of thousands of one-entry trees in a few hundred KB of objects. The
    /// walk is bounded in depth, in path length and in the characters all paths add up to, besides the entry count;
    /// past any bound the tree is refused whole, naming the path where the bound was crossed.
    /// </summary>
    private void Index(Tree root, string repositoryRoot, string where)
    {
        long pathCharacters = 0;
        var pending = new Stack<(Tree Tree, string Path, string Shown, int Depth)>();
        pending.Push((root, "", repositoryRoot, 0));
        while (pending.TryPop(out var directory))
        {
            foreach (var entry in directory.Tree)
            {
                if (_nodes.Count >= MaxEntries)
                {
                    throw new GitRepositoryException($"{where}: {Printable(repositoryRoot)} has more than {MaxEntries} entries; not read");
                }

                var shown = Join(directory.Shown, entry.Name);
                if (shown.Length > MaxPathCharacters)
                {
                    throw new GitRepositoryException(
                        $"{where}: tree entry '{Shortened(shown)}' is refused: its path is longer than {MaxPathCharacters} characters (Linux's PATH_MAX); not read");
                }

                var path = Join(directory.Path, entry.Name);
                pathCharacters += path.Length;
                if (pathCharacters > MaxTotalPathCharacters)
                {
                    throw new GitRepositoryException(
                        $"{where}: tree entry '{Shortened(shown)}' is refused: the paths below '{Printable(repositoryRoot)}' add up to more than {MaxTotalPathCharacters} characters; not read");
                }

                // The mode says what the entry claims to be and LibGit2Sharp builds the object it claims lazily; the object
                // database says what it is. A submodule's commit is not in this repository at all.
                var actual = entry.Mode == Mode.GitLink ? null : TypeOf(entry.Target.Id);
                var target = entry.Mode == Mode.Directory ? actual == ObjectType.Tree ? entry.Target : null
                    : actual == ObjectType.Blob ? entry.Target : null;
                switch (entry.Mode)
                {
                    case Mode.Directory when target is Tree sub:
                        if (directory.Depth + 1 > MaxDepth)
                        {
                            throw new GitRepositoryException(
                                $"{where}: tree '{Shortened(shown)}' is refused: it is nested deeper than {MaxDepth} levels below '{Printable(repositoryRoot)}'; not read");
                        }

                        CheckNames(sub, shown, where);
                        _nodes[path] = new Node(SpecTreeEntry.Directory, null, null, sub.Select(e => e.Name).ToList());
                        pending.Push((sub, path, shown, directory.Depth + 1));
                        break;
                    case Mode.NonExecutableFile or Mode.ExecutableFile or Mode.NonExecutableGroupWritableFile when target is Blob blob:
                        _nodes[path] = new Node(SpecTreeEntry.RegularFile, blob, null, null);
                        break;
                    case Mode.SymbolicLink when target is Blob link:
                        _nodes[path] = new Node(SpecTreeEntry.SymbolicLink, null, LinkText(link, shown, where), null);
                        break;
                    case Mode.GitLink:
                        _nodes[path] = new Node(SpecTreeEntry.Other, null, null, null);
                        break;
                    default:
                        throw new GitRepositoryException(
                            $"{where}: tree entry '{Shortened(shown)}' is refused: its mode {Convert.ToString((int)entry.Mode, 8)} does not match its object ({actual?.ToString().ToLowerInvariant() ?? "missing"})");
                }
            }
        }
    }

    private ObjectType? TypeOf(ObjectId id)
    {
        try
        {
            return _objects.RetrieveObjectMetadata(id).Type;
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }

    /// <summary>Every name in one tree: none refused, none twice (a link and a file both named zz, say).</summary>
    private static void CheckNames(Tree tree, string treePath, string where)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        List<TreeEntry> entries;
        try
        {
            // One tree object can hold millions of entries: counted before each becomes an object.
            if (tree.Count > MaxEntries)
            {
                throw new GitRepositoryException(
                    $"{where}: tree '{(treePath.Length == 0 ? "(root)" : Shortened(treePath))}' is refused: it holds more than {MaxEntries} entries; not read");
            }

            entries = tree.ToList();
        }
        catch (LibGit2SharpException e)
        {
            // libgit2 refuses some malformed trees itself (an empty name, say): refused all the same, naming the tree.
            throw new GitRepositoryException(
                $"{where}: tree '{(treePath.Length == 0 ? "(root)" : Shortened(treePath))}' is refused: git cannot parse it ({e.Message.ReplaceLineEndings(" ")})");
        }

        foreach (var entry in entries)
        {
            var shown = Join(treePath, entry.Name);
            if (NameProblem(entry.Name) is { } problem)
            {
                throw new GitRepositoryException($"{where}: tree entry '{Shortened(shown)}' is refused: {problem}; git fsck flags such a tree and it is never read");
            }

            if (!seen.Add(entry.Name))
            {
                throw new GitRepositoryException($"{where}: tree entry '{Shortened(shown)}' is refused: the name is in its tree twice; git fsck flags such a tree and it is never read");
            }
        }
    }

    private static string LinkText(Blob link, string shown, string where)
    {
        if (link.Size > MaxLinkBytes)
        {
            throw new GitRepositoryException($"{where}: tree entry '{Shortened(shown)}' is refused: a symbolic link's target longer than {MaxLinkBytes} bytes is not a path");
        }

        return Encoding.UTF8.GetString(ReadBounded(link, MaxLinkBytes));
    }

    private static byte[] ReadBounded(Blob blob, long maxBytes)
    {
        using var content = blob.GetContentStream();
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while (buffer.Length <= maxBytes && (read = content.Read(chunk, 0, (int)Math.Min(chunk.Length, maxBytes + 1 - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "/" + name;

    /// <summary>Names come from a pull request: control characters are shown escaped, so an error stays one inert line.</summary>
    private static string Printable(string text) => Core.Text.VisibleText.Exact(text);

    /// <summary>A path for an error line: printable and, past 200 characters, cut with its length said.</summary>
    private static string Shortened(string path) =>
        path.Length <= 200 ? Printable(path) : $"{Printable(path[..200])}... ({path.Length} characters)";

    private sealed record Node(SpecTreeEntry Type, Blob? Blob, string? LinkTarget, List<string>? Names);
}
