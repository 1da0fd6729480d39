namespace Reconciler.Core.Specs;

/// <summary>
/// The specs directory as the spec loader reads it, read-only: a directory on disk or a directory of a git commit's
/// tree served from git objects in memory. Paths are relative to the tree's root with '/' (<c>""</c> is the root) and
/// name entries exactly: this port never follows a symbolic link, so the loader applies one rule to both — every
/// component resolved inside the tree, regular files only, bounded reads — instead of trusting an operating system to
/// follow links in a directory a pull request wrote.
/// </summary>
public interface ISpecTree
{
    /// <summary>
    /// Where the tree is on disk (a git tree: where its directory is in the working copy). Paths show relative to it;
    /// an absolute link target is followed only when it names a place below it; relative paths a spec names outside
    /// the tree (an inventory's identity_file) are taken from it.
    /// </summary>
    string Location { get; }

    /// <summary>What the entry at <paramref name="path"/> is, not following a link there; parents must be directories.</summary>
    SpecTreeEntry EntryAt(string path);

    /// <summary>The target of the symbolic link at <paramref name="path"/>, as written in it.</summary>
    string LinkTarget(string path);

    /// <summary>The names directly in the directory at <paramref name="path"/>.</summary>
    IReadOnlyList<string> Names(string path);

    /// <summary>
    /// The regular file's bytes, or null with the size seen when it is larger than <paramref name="maxBytes"/>: never
    /// more than <paramref name="maxBytes"/> + 1 bytes are read, whatever size the file claims.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    (byte[]? Bytes, long Size) Read(string path, long maxBytes);
}

/// <summary>What a tree entry is; <see cref="Other"/> is anything that is not read (a device, FIFO, socket, submodule).</summary>
public enum SpecTreeEntry
{
    Missing,
    Directory,
    RegularFile,
    SymbolicLink,
    Other,
}
