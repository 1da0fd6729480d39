using System.Diagnostics;

namespace Reconciler.Integration.Tests.Fixtures;

/// <summary>
/// An ed25519 key pair in OpenSSH private-key format, generated with ssh-keygen once per test run
/// (<see cref="Shared"/>) into a private temp directory that is deleted at process exit.
/// </summary>
public sealed class SshKeyPair
{
    private static readonly Lazy<SshKeyPair> SharedInstance = new(Generate, LazyThreadSafetyMode.ExecutionAndPublication);

    private SshKeyPair(string directory, string privateKeyPath, string publicKey)
    {
        Directory = directory;
        PrivateKeyPath = privateKeyPath;
        PublicKey = publicKey;
    }

    /// <summary>The key pair shared by all tests of this run.</summary>
    public static SshKeyPair Shared => SharedInstance.Value;

    /// <summary>Temp directory holding id_ed25519 and id_ed25519.pub.</summary>
    public string Directory { get; }

    /// <summary>Path of the private key file (mode 0600, no passphrase).</summary>
    public string PrivateKeyPath { get; }

    /// <summary>Path of the public key file.</summary>
    public string PublicKeyPath => PrivateKeyPath + ".pub";

    /// <summary>The public key line, e.g. "ssh-ed25519 AAAA... reconciler-tests" (trimmed).</summary>
    public string PublicKey { get; }

    /// <summary>Generates a new key pair in a fresh temp directory.</summary>
    public static SshKeyPair Generate()
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("reconciler-sshkey-").FullName;
        var keyPath = Path.Combine(dir, "id_ed25519");

        var psi = new ProcessStartInfo("ssh-keygen")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-t", "ed25519", "-N", "", "-C", "reconciler-tests", "-f", keyPath, "-q" })
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start ssh-keygen");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ssh-keygen failed ({process.ExitCode}): {stderr}{stdout.Result}");
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { System.IO.Directory.Delete(dir, recursive: true); } catch { /* best effort */ }
        };

        return new SshKeyPair(dir, keyPath, File.ReadAllText(keyPath + ".pub").Trim());
    }
}
