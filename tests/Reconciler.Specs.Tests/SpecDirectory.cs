using System.Buffers.Binary;
using System.Text;

namespace Reconciler.Specs.Tests;

/// <summary>A fresh temporary specs directory per test, deleted afterwards.</summary>
internal sealed class SpecDirectory : IDisposable
{
    /// <summary>A well-formed ed25519 public key (the key bytes are arbitrary; only the format matters here).</summary>
    public static readonly string Ed25519Key = BuildEd25519Key();

    public const string DefaultInventory = """
        kind: inventory
        groups:
          hardened: {}
        hosts:
          web1:
            address: 10.0.0.11
            identity_file: /keys/id
            host_key: ssh-ed25519 KEY
            groups: [hardened]
            variables: { role: web }
          web2:
            address: 10.0.0.12
            identity_file: /keys/id
            host_key: ssh-ed25519 KEY
        """;

    public SpecDirectory()
    {
        Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "reconciler-specs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>How diagnostics name a file in this directory (absolute: the temp folder is outside the working directory).</summary>
    public string Path(string relative) => Root + "/" + relative;

    public SpecDirectory Write(string relative, string content)
    {
        WriteBytes(relative, Encoding.UTF8.GetBytes(content.Replace("KEY", Ed25519Key)));
        return this;
    }

    public SpecDirectory WriteBytes(string relative, byte[] content)
    {
        var full = System.IO.Path.Combine(Root, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return this;
    }

    public SpecDirectory WithDefaultInventory() => Write("inventory.yaml", DefaultInventory);

    /// <summary>The default inventory, letting specs manage these MariaDB objects on every host (top-level mariadb.manage).</summary>
    public SpecDirectory WithInventoryManagingMariaDb(params string[] manage) =>
        Write("inventory.yaml", DefaultInventory + $"\nmariadb: {{ manage: [{string.Join(", ", manage.Select(m => $"\"{m}\""))}] }}\n");

    public SpecLoadResult Load() => new SpecLoader().Load(Root);

    /// <summary>Loaded as a change whose base had <paramref name="reviewed"/> as its inventory (how the plan job reads a pull request).</summary>
    public SpecLoadResult LoadAsChange(ReviewedInventory reviewed) =>
        new SpecLoader().Load(new Files.DirectorySpecTree(Root), Directory.GetCurrentDirectory(), reviewed);

    /// <summary>A base branch's inventory as the plan job reads it (see <see cref="ReviewedInventory"/>).</summary>
    public static ReviewedInventory Reviewed(string inventoryYaml)
    {
        var diagnostics = new List<Reconciler.Core.Diagnostics.Diagnostic>();
        var root = (Reconciler.Core.Specs.SpecMapping)Yaml.SpecYamlReader.Read(inventoryYaml.Replace("KEY", Ed25519Key), "base/inventory.yaml", diagnostics)!;
        var inventory = Inventory.InventoryReader.Read(root, "base/inventory.yaml", "/specs", diagnostics);
        if (diagnostics.Count > 0) throw new InvalidOperationException(string.Join("\n", diagnostics));
        return new ReviewedInventory(inventory!);
    }

    /// <summary>The diagnostics as the CLI prints them, one per line (a string so a failing assert shows the difference).</summary>
    public string Diagnostics() => string.Join("\n", Load().Diagnostics.Select(d => d.ToString()));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail the test that created it.
        }
    }

    private static string BuildEd25519Key()
    {
        var name = Encoding.ASCII.GetBytes("ssh-ed25519");
        var blob = new byte[4 + name.Length + 4 + 32];
        BinaryPrimitives.WriteUInt32BigEndian(blob, (uint)name.Length);
        name.CopyTo(blob, 4);
        BinaryPrimitives.WriteUInt32BigEndian(blob.AsSpan(4 + name.Length), 32);
        for (var i = 0; i < 32; i++)
        {
            blob[4 + name.Length + 4 + i] = (byte)i;
        }

        return Convert.ToBase64String(blob);
    }
}
