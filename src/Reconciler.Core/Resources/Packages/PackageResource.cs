using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Packages;

/// <summary>
/// A Debian package in a state, optionally at an exact version and held; <see cref="RefreshMaxAge"/> is its file's
/// <c>apt.refresh.max_age</c>: apply runs <c>apt-get update</c> first when the host's lists are older.
/// The name and version are refused here unless they match <see cref="PackageNames"/>, so no script ever carries other text.
/// </summary>
public sealed record PackageResource : Resource
{
    public const string KindName = "package";

    public PackageResource(string name, PackageState state, string? version, bool? hold, TimeSpan? refreshMaxAge, SourceLocation source)
        : base(source)
    {
        if (!PackageNames.IsName(name)) throw new ArgumentException($"not a Debian package name: {name.Length} character(s) outside {PackageNames.NamePattern}", nameof(name));
        if (version is not null && !PackageNames.IsVersion(version)) throw new ArgumentException("not a Debian version", nameof(version));
        Name = name;
        State = state;
        Version = version;
        Hold = hold;
        RefreshMaxAge = refreshMaxAge;
    }

    public string Name { get; }

    public PackageState State { get; }

    public string? Version { get; }

    public bool? Hold { get; }

    public TimeSpan? RefreshMaxAge { get; }

    /// <summary>How long apply waits for the dpkg/apt lock another process holds (its file's <c>apt.lock_wait</c>).</summary>
    public TimeSpan LockWait { get; init; } = DefaultLockWait;

    public static TimeSpan DefaultLockWait { get; } = TimeSpan.FromSeconds(120);

    /// <summary>The longest lock wait a spec may ask for: apt's wait and the install must end within the host's 5-minute time limit.</summary>
    public static TimeSpan MaxLockWait { get; } = TimeSpan.FromMinutes(4);

    public override ResourceAddress Address => new(KindName, Name);
}
