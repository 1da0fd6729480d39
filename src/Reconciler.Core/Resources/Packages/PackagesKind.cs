using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Resources.ConfigLines;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Packages;

/// <summary>
/// <c>packages: [ { name, state?, version?, hold? } ]</c> with the file's <c>apt: { refresh: { max_age }, lock_wait }</c>
/// — Debian packages through dpkg and apt, planned by apt's own simulation and applied as one apt call per host.
/// </summary>
public sealed class PackagesKind : IResourceKind
{
    public IReadOnlyList<string> Sections => ["packages", "apt"];

    public IReadOnlyList<string> PlanKinds => [PackageResource.KindName];

    public IReadOnlyList<Type> ResourceTypes => [typeof(PackageResource)];

    /// <summary>After files and config lines: a spec may place apt sources, preferences or apt.conf lines before the install.</summary>
    public IReadOnlyList<Type> After => [typeof(FileKind), typeof(ConfigLineKind)];

    public IReadOnlyList<KindGrammar> Grammars =>
    [
        new("definitions/package/properties/name/pattern", PackageNames.NamePattern),
        new("definitions/package/properties/version/pattern", PackageNames.VersionPattern),
        new("definitions/apt/properties/refresh/properties/max_age/pattern", PackageNames.MaxAgePattern),
        new("definitions/apt/properties/lock_wait/pattern", PackageNames.MaxAgePattern),
    ];

    public string SchemaFragment => Resources.SchemaFragment.Of(GetType(), "packages.schema.json");

    public IReadOnlyList<IResourceProvider> CreateProviders() => [new PackagesProvider()];

    public string Identity(Resource resource) => resource.Address.ToString();

    /// <summary>
    /// Names and versions cannot carry hostile text (<see cref="PackageResource"/> refuses anything outside their
    /// grammars); the sample makes every apply path run: an install with a version, a hold, a refresh, a removal, a
    /// purge, and apt's extras.
    /// </summary>
    public IReadOnlyList<HostileSample> HostileSamples(HostileText hostile) =>
    [
        new("packages", new PackagesProvider(),
        [
            new PackageResource("hello", PackageState.Present, "1:2.0~rc1+b1", hold: true, TimeSpan.FromHours(1), HostileSample.At),
            new PackageResource("gone", PackageState.Absent, null, hold: false, null, HostileSample.At),
            new PackageResource("purge-me", PackageState.Purged, null, null, null, HostileSample.At),
        ],
        [
            "D\thello\tun \t\tunknown",
            "A\thello\t1:2.0~rc1+b1",
            "D\tgone\tii \t2.0\thold",
            "D\tpurge-me\trc \t1.0\tdeinstall",
            "S\tInst hello (1:2.0~rc1+b1 localhost [all])",
            "S\tInst libextra [1.0] (3.0 localhost [all])",
            "S\tRemv dependent [1.0]",
            "X\tinstall\t0",
            "X\tpurge\t0",
            "T\t1000\tnone",
        ]),
    ];

    public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading)
    {
        var apt = file.Mapping("apt");
        TimeSpan? refresh = null;
        var lockWait = PackageResource.DefaultLockWait;
        if (apt is not null)
        {
            if (apt.Mapping("refresh")?.Scalar("max_age") is { } maxAge)
            {
                refresh = Age(maxAge, "apt.refresh.max_age", reading);
            }

            if (apt.Scalar("lock_wait") is { } wait)
            {
                lockWait = Age(wait, "apt.lock_wait", reading) ?? lockWait;
                if (lockWait > PackageResource.MaxLockWait)
                {
                    // apt waits on the host: a longer wait outlives the controller's time for the host, and the detached
                    // apply keeps the host's apply lock while apt waits (999999d overflowed into a wait without end).
                    reading.Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue,
                        $"apt.lock_wait '{AptFactParser.Printable(wait.RawText, 40)}' is longer than {PackageNames.Shown(PackageResource.MaxLockWait)}: apply must end within the host's time limit of 5 minutes",
                        wait.Location));
                    lockWait = PackageResource.MaxLockWait;
                }
            }

            if (file.Items("packages").Count == 0)
            {
                reading.Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, "apt settings apply to the packages of their own file, and this file declares none", apt.Location));
            }
        }

        foreach (var item in file.Items("packages").Cast<SpecMapping>())
        {
            var name = item.Scalar("name")!;
            var version = item.Scalar("version");
            var hold = item.Scalar("hold")?.Value as bool?;
            var state = item.Text("state") switch
            {
                "absent" => PackageState.Absent,
                "purged" => PackageState.Purged,
                _ => PackageState.Present,
            };
            var problems = 0;
            if (!PackageNames.IsName(name.RawText))
            {
                reading.Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, $"package name '{AptFactParser.Printable(name.RawText, 100)}' does not match {PackageNames.NamePattern} (Debian policy)", name.Location));
                problems++;
            }

            if (version is not null && !PackageNames.IsVersion(version.RawText))
            {
                reading.Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, $"package version '{AptFactParser.Printable(version.RawText, 100)}' is not a Debian version ([epoch:]upstream[-revision], matching {PackageNames.VersionPattern})", version.Location));
                problems++;
            }

            if (version is not null && state != PackageState.Present)
            {
                reading.Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, $"package '{name.RawText}': a version goes with state present only", version.Location));
                problems++;
            }

            if (hold == true && state != PackageState.Present)
            {
                reading.Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, $"package '{name.RawText}': hold: true goes with state present only", item.Scalar("hold")!.Location));
                problems++;
            }

            if (problems > 0) continue;
            yield return new ResourceDeclaration(new PackageResource(name.RawText, state, version?.RawText, hold, refresh, item.Location) { LockWait = lockWait }, null);
        }
    }

    private static TimeSpan? Age(SpecScalar scalar, string what, SpecReading reading)
    {
        var age = PackageNames.MaxAge(scalar.RawText);
        if (age is null)
        {
            reading.Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, $"{what} '{AptFactParser.Printable(scalar.RawText, 40)}' is not a number and s, m, h or d (like 30m, 1h, 7d)", scalar.Location));
        }

        return age;
    }
}
