using System.Text.RegularExpressions;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Resources.ConfigLines;
using Reconciler.Core.Resources.Dovecot;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.MariaDb;
using Reconciler.Core.Resources.Permissions;
using Reconciler.Core.Resources.Postfix;
using Reconciler.Core.Resources.Sysctl;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Services;

/// <summary>
/// <c>services: [ { name, enabled, running, restart_when, reload_when } ]</c> — services started at boot and running now,
/// restarted or reloaded once after the resources they watch change.
/// </summary>
public sealed class ServiceKind : IResourceKind
{
    /// <summary>A service's name: what systemctl (with .service) and /etc/init.d use; never '/' or a leading '-'.</summary>
    public const string NamePattern = "^[A-Za-z0-9][A-Za-z0-9_.@:-]{0,99}$";

    /// <summary>An address a service watches, as a plan writes it: kind[name].</summary>
    public const string WatchPattern = @"^[a-z_]+\[.+\]$";

    public IReadOnlyList<string> Sections => ["services"];

    public IReadOnlyList<string> PlanKinds => [ServiceResource.KindName];

    public IReadOnlyList<Type> ResourceTypes => [typeof(ServiceResource)];

    /// <summary>After the kinds that install and write what a service reads: it and its config exist before it is started or enabled.</summary>
    public IReadOnlyList<Type> After =>
        [typeof(SysctlKind), typeof(FileKind), typeof(PermissionsKind), typeof(ConfigLineKind), typeof(MariaDbKind), typeof(PostfixKind), typeof(DovecotKind), typeof(Packages.PackagesKind), typeof(Dkim.DkimKind), typeof(Ldap.LdapKind)];

    public string SchemaFragment => Resources.SchemaFragment.Of(GetType(), "services.schema.json");

    public IReadOnlyList<KindGrammar> Grammars =>
    [
        new("definitions/service/properties/name/pattern", NamePattern),
        new("definitions/serviceWatch/pattern", WatchPattern),
    ];

    public IReadOnlyList<IResourceProvider> CreateProviders() => [new ServiceProvider()];

    public string Identity(Resource resource) => resource.Address.ToString();

    /// <summary>Every address a service watches names a resource declared for the same host (not the service itself).</summary>
    public IEnumerable<Diagnostic> Check(IReadOnlyList<Resource> resources)
    {
        var declared = resources.Select(r => r.Address.ToString()).ToHashSet(StringComparer.Ordinal);
        foreach (var service in resources.OfType<ServiceResource>())
        {
            foreach (var watched in service.RestartWhen.Concat(service.ReloadWhen))
            {
                if (watched.Address == service.Address.ToString())
                {
                    yield return Diagnostic.Error(DiagnosticCodes.InvalidAddress, $"{service.Address} cannot watch itself", watched.Source);
                }
                else if (!declared.Contains(watched.Address))
                {
                    yield return Diagnostic.Error(DiagnosticCodes.UnknownTarget,
                        $"{service.Address} watches {watched.Address}, which is not declared for this host", watched.Source);
                }
            }
        }
    }

    /// <summary>
    /// Hostile names in every script the kind makes: each service's own change, and (with changing files of the same host
    /// as neighbors, one a unit file) the daemon-reload, a restart and a reload of running services that only watch them.
    /// </summary>
    public IReadOnlyList<HostileSample> HostileSamples(Resources.HostileText hostile)
    {
        var name = "svc-" + hostile.Name("service").Replace("/", "-");
        var unit = new FileResource($"/etc/systemd/system/{name}.service", FileType.File, Ensure.Present, WhenMissing.Create, "[Unit]", null, null, null, null, false, HostileSample.At);
        var conf = new FileResource($"/etc/{name}.conf", FileType.File, Ensure.Present, WhenMissing.Create, "x", null, null, null, null, false, HostileSample.At);
        Engine.PlannedChange Changing(FileResource f) => new(f, f, new Plans.ResourceChange(f.Address, Plans.ChangeAction.Update, [], f.Source));
        WatchedAddress Watch(Resource r) => new(r.Address.ToString(), HostileSample.At);
        return
        [
            new("service", new ServiceProvider(),
                [
                    new ServiceResource(name, true, true, [], [], HostileSample.At),
                    new ServiceResource("other", false, false, [], [], HostileSample.At),
                    new ServiceResource("re" + name, null, null, [Watch(unit)], [], HostileSample.At),
                    new ServiceResource("rl" + name, null, null, [], [Watch(conf)], HostileSample.At),
                ],
                ["MANAGER\tsystemd", "Id\t0\tx.service", "LoadState\t0\tloaded", "UnitFileState\t0\tdisabled", "ActiveState\t0\tinactive",
                 "Id\t1\tother.service", "LoadState\t1\tloaded", "UnitFileState\t1\tenabled", "ActiveState\t1\tactive",
                 "Id\t2\tre.service", "LoadState\t2\tloaded", "UnitFileState\t2\tenabled", "ActiveState\t2\tactive",
                 "Id\t3\trl.service", "LoadState\t3\tloaded", "UnitFileState\t3\tenabled", "ActiveState\t3\tactive"])
            {
                Neighbors = [Changing(unit), Changing(conf)],
            },
        ];
    }

    public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading)
    {
        foreach (var item in file.Items("services").Cast<SpecMapping>())
        {
            var name = item.Scalar("name")!;
            if (!Name.IsMatch(name.RawText))
            {
                reading.Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, $"service name '{name.RawText}' does not match {NamePattern}", name.Location));
                continue;
            }

            var restart = Watched(item, "restart_when", reading.Diagnostics);
            var reload = Watched(item, "reload_when", reading.Diagnostics);
            yield return new ResourceDeclaration(
                new ServiceResource(name.RawText, item.Scalar("enabled")?.Value as bool?, item.Scalar("running")?.Value as bool?, restart, reload, item.Location),
                null);
        }
    }

    private static List<WatchedAddress> Watched(SpecMapping item, string key, ICollection<Diagnostic> diagnostics)
    {
        var watched = new List<WatchedAddress>();
        foreach (var address in item.Items(key).Cast<SpecScalar>())
        {
            if (Watch.IsMatch(address.RawText))
            {
                watched.Add(new WatchedAddress(address.RawText, address.Location));
            }
            else
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidAddress, $"'{address.RawText}' is not a resource address (kind[name])", address.Location));
            }
        }

        return watched;
    }

    /// <summary>The grammars as the code runs them: '$' would also match before a final newline.</summary>
    private static readonly Regex Name = new(NamePattern[..^1] + @"\z");

    private static readonly Regex Watch = new(WatchPattern[..^1] + @"\z", RegexOptions.Singleline);
}
