using System.Text;
using Reconciler.Integration.Tests.Fixtures;

namespace Reconciler.Integration.Tests.Support;

/// <summary>A temporary specs directory whose inventory points at container hosts.</summary>
public sealed class SpecsWorkspace : IDisposable
{
    private SpecsWorkspace(string directory) => Directory = directory;

    public string Directory { get; }

    public static SpecsWorkspace Create() =>
        new(System.IO.Directory.CreateTempSubdirectory("reconciler-specs-").FullName);

    public async Task WriteInventoryAsync(IEnumerable<(string Name, DebianHost Host, string User, string Groups)> hosts, Func<string, string>? hostKeyOverride = null)
    {
        var yaml = new StringBuilder("kind: inventory\ngroups:\n  hardened: {}\n  web: {}\nhosts:\n");
        foreach (var (name, host, user, groups) in hosts)
        {
            var key = await host.HostKeyAsync();
            yaml.AppendLine($"  {name}:");
            yaml.AppendLine($"    address: {host.Address}");
            yaml.AppendLine($"    port: {host.Port}");
            yaml.AppendLine($"    user: {user}");
            yaml.AppendLine($"    identity_file: {host.KeyPair.PrivateKeyPath}");
            yaml.AppendLine($"    host_key: \"{hostKeyOverride?.Invoke(key) ?? key}\"");
            yaml.AppendLine($"    groups: [{groups}]");
            yaml.AppendLine($"    variables: {{ site: {name}-site }}");
        }

        Write("inventory.yaml", yaml.ToString());
    }

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
