using System.Text;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Tests.Shared;

namespace Reconciler.Integration.Tests.Support;

/// <summary>A temporary specs directory whose inventory points at container hosts.</summary>
public sealed class SpecsWorkspace : IDisposable
{
    private SpecsWorkspace(string directory) => Directory = directory;

    public string Directory { get; }

    public static SpecsWorkspace Create() =>
        new(System.IO.Directory.CreateTempSubdirectory("reconciler-specs-").FullName);

    /// <param name="mariaDbManage">The MariaDB objects specs may manage on every host (the inventory's top-level mariadb.manage).</param>
    /// <param name="identityFile">False: no host names a key file, so the controller's ssh-agent is asked.</param>
    /// <param name="via">The bastion each host (by name) is reached through; null: connected directly.</param>
    /// <param name="bastionOnly">Hosts marked bastion_only: reached only as bastions, not managed.</param>
    public async Task WriteInventoryAsync(
        IEnumerable<(string Name, DebianHost Host, string User, string Groups)> hosts, Func<string, string>? hostKeyOverride = null, IReadOnlyList<string>? mariaDbManage = null,
        bool identityFile = true, Func<string, string?>? via = null, IReadOnlySet<string>? bastionOnly = null)
    {
        var list = hosts.ToList();
        // hardened and web always exist (specs target them even with no member); every group a host names is declared.
        var groupNames = list.SelectMany(h => h.Groups.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Prepend("web").Prepend("hardened").Distinct(StringComparer.Ordinal);
        var yaml = new StringBuilder("kind: inventory\n");
        if (mariaDbManage is not null)
        {
            yaml.AppendLine($"mariadb: {{ manage: [{string.Join(", ", mariaDbManage.Select(m => $"\"{m}\""))}] }}");
        }

        yaml.AppendLine("groups:");
        foreach (var group in groupNames)
        {
            yaml.AppendLine($"  {group}: {{}}");
        }

        yaml.AppendLine("hosts:");
        foreach (var (name, host, user, groups) in list)
        {
            var key = await host.HostKeyAsync();
            yaml.AppendLine($"  {name}:");
            yaml.AppendLine($"    address: {host.Address}");
            yaml.AppendLine($"    port: {host.Port}");
            yaml.AppendLine($"    user: {user}");
            if (identityFile) yaml.AppendLine($"    identity_file: {host.KeyPair.PrivateKeyPath}");
            yaml.AppendLine($"    host_key: \"{hostKeyOverride?.Invoke(key) ?? key}\"");
            if (via?.Invoke(name) is { } bastion) yaml.AppendLine($"    via: {bastion}");
            if (bastionOnly?.Contains(name) == true) yaml.AppendLine("    bastion_only: true");
            yaml.AppendLine($"    groups: [{groups}]");
            yaml.AppendLine($"    variables: {{ site: {name}-site }}");
        }

        Write("inventory.yaml", yaml.ToString());
    }

    /// <summary>Copies a directory of the tests' sample specs (e.g. "mail", "templates") into the workspace.</summary>
    public void CopyFromSample(string specsSubdirectory)
    {
        var source = Path.Combine(TestRepository.SampleSpecs, specsSubdirectory);
        foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            Write(Path.Combine(specsSubdirectory, Path.GetRelativePath(source, file)), File.ReadAllText(file));
        }
    }

    /// <summary>The repository checkout these tests run from (the directory holding Reconciler.sln).</summary>
    public static string RepositoryRoot => TestRepository.Root;

    public void Write(string relativePath, string text)
    {
        var path = Path.Combine(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
