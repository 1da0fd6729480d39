using System.Diagnostics;

namespace Reconciler.Specs.Tests;

/// <summary>
/// Issue 15, class "/proc, /sys and /dev are refused after resolution on the controller", for the inventory's
/// identity_file: judged where the path leads after every link, and only a small regular file is a key.
/// A key that does not exist here is fine (the fork job has no key).
/// </summary>
public sealed class IdentityFileTests : IDisposable
{
    private readonly SpecDirectory _specs = new();
    private readonly string _keys = Directory.CreateTempSubdirectory("reconciler-keys-").FullName;

    public void Dispose()
    {
        _specs.Dispose();
        Directory.Delete(_keys, recursive: true);
    }

    private string DiagnosticsFor(string identityFile) =>
        _specs.Write("inventory.yaml", $"kind: inventory\nhosts:\n  web1:\n    address: 10.0.0.1\n    identity_file: {identityFile}\n    host_key: ssh-ed25519 KEY\n").Diagnostics();

    [Fact]
    public void A_key_linking_to_a_device_is_refused_at_its_line()
    {
        File.CreateSymbolicLink(Path.Combine(_keys, "id"), "/dev/zero");
        Assert.Equal($"{_specs.Path("inventory.yaml")}:5:20: error RC3015: identity_file '{_keys}/id' is refused: it leads (through links) to /dev/zero, and a key file is never under /proc, /sys or /dev",
            DiagnosticsFor($"{_keys}/id"));
    }

    [Fact]
    public void A_key_under_a_parent_link_into_proc_is_refused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_keys, "self"), "/proc/self");
        Assert.Matches(@"error RC3015: identity_file '.*/self/environ' is refused: it leads \(through links\) to /proc/\d+/environ", DiagnosticsFor($"{_keys}/self/environ"));
    }

    [Fact]
    public void A_fifo_or_a_large_file_is_not_a_key()
    {
        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(_keys, "fifo")]))
        {
            mkfifo.WaitForExit();
        }

        File.WriteAllBytes(Path.Combine(_keys, "large"), new byte[65 * 1024]);
        Assert.Contains("which is not a regular file", DiagnosticsFor($"{_keys}/fifo"));
        Assert.Contains($"is refused: it is {65 * 1024} bytes, and a private key is at most 64 KiB", DiagnosticsFor($"{_keys}/large"));
    }

    [Fact]
    public void A_small_regular_key_or_one_that_does_not_exist_here_is_accepted()
    {
        File.WriteAllText(Path.Combine(_keys, "real"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        File.CreateSymbolicLink(Path.Combine(_keys, "linked"), Path.Combine(_keys, "real"));
        Assert.Empty(DiagnosticsFor($"{_keys}/linked"));
        Assert.Empty(DiagnosticsFor("/nonexistent/id"));
    }
}
