using Reconciler.Core.Facts;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Ldap;

/// <summary>A database file (*.bdb) of a Berkeley DB directory and its size.</summary>
public sealed record DbDirectoryFile(string Name, long Bytes);

/// <summary>When the first region file and DB_CONFIG were last modified (epoch seconds), kept only when the regions are the older.</summary>
public sealed record DbStaleRegions(long RegionsMade, long DbConfigChanged);

/// <summary>
/// The service that opens a database directory, as the manager rc_service uses (systemd, or the init script) reports it:
/// <paramref name="State"/> is missing, running, stopped, not-lsb (an init script whose header does not provide the name,
/// so it was not asked) or unknown.
/// </summary>
public sealed record DbService(string Manager, string State)
{
    public bool Exists => State is not ("missing" or "invalid");

    public bool Running => State == "running";

    /// <summary>Why whether it runs cannot be told, or null.</summary>
    public string? Unknown => State switch
    {
        "not-lsb" => "its init script has no LSB header that provides this name, so the plan did not run it",
        "unknown" => "its manager's answer says neither running nor stopped",
        _ => null,
    };
}

/// <summary>Whether a database directory is there and what it is, as the read found it.</summary>
public enum DbDirectoryState
{
    /// <summary>A directory.</summary>
    Directory,

    /// <summary>Nothing at the path.</summary>
    Missing,

    /// <summary>Something other than a directory.</summary>
    NotDirectory,

    /// <summary>Not read: the path was refused (<see cref="LdapDbConfigObserved.Refused"/>).</summary>
    NotRead,
}

/// <summary>
/// A database directory as the host has it: the path's judgement (<see cref="PathSafety"/>), the directory itself, its
/// *.bdb files' sizes (for auto), whether its regions are older than DB_CONFIG, DB_CONFIG (its <see cref="FileFacts"/> and
/// the set_cachesize it holds), the service that opens it, and which db_stat the host has to check the regions with.
/// Only what the diff uses is kept: a saved plan's fingerprint is of this record, and a running slapd touches its files
/// all the time — their times and the regions' sizes would make every saved plan stale.
/// </summary>
/// <param name="Writable">Whoever controls the directory may create and remove files in it (no chattr +i, no read-only mount).</param>
/// <param name="DirectoryFlags">lsattr's flags of the directory (to say why it is read-only), or null.</param>
/// <param name="Databases">The *.bdb files and their sizes, read when the cache is auto (empty otherwise).</param>
/// <param name="StaleRegions">Set when the environment's regions were made before DB_CONFIG last changed: what runs now
/// does not use it. Back-bdb (OpenLDAP 2.3+) judges the same at its next start, by the same seconds.</param>
/// <param name="LiveCache">DB_CONFIG's last set_cachesize, when it has one in Berkeley DB's grammar.</param>
/// <param name="StatTool">db_stat, db5.3_stat...: the first the host has, or null.</param>
public sealed record LdapDbConfigObserved(
    string? Refused, PathController? ControlledBy, string? SharedDirectory,
    DbDirectoryState State, bool Writable, string? DirectoryFlags,
    IReadOnlyList<DbDirectoryFile> Databases, DbStaleRegions? StaleRegions, DbCacheSize? LiveCache,
    FileFacts DbConfig, DbService Service, string? StatTool)
{
    /// <summary>The region file Berkeley DB creates first; back-bdb recovers (and so remakes the regions) when DB_CONFIG is newer.</summary>
    public const string FirstRegion = "__db.001";
}
