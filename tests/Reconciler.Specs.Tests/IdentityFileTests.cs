using System.Diagnostics;

namespace Reconciler.Specs.Tests;

/// <summary>
/// Issue 15, class "/proc, /sys and /dev are refused after resolution on the controller", for the inventory's
/// identity_file: judged where the path leads after every link, and only a small regular file is a key.
/// A key that does not exist here is fine (the fork job has no key).
/// Also the class "identity_file is no oracle on the runner": the path is the pull request's and the file system the
/// runner's, so every refusal is the same one line, naming the path as written — never which rule failed, a type, a
/// size, or where a link leads.
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

    private const string NotUsable = "is not usable: a key file must be a regular file of at most 64 KiB outside /proc, /sys and /dev";

    [Fact]
    public void A_key_linking_to_a_device_is_refused_at_its_line()
    {
        File.CreateSymbolicLink(Path.Combine(_keys, "id"), "/dev/zero");
        Assert.Equal($"{_specs.Path("inventory.yaml")}:5:20: error RC3015: identity_file '{_keys}/id' {NotUsable}",
            DiagnosticsFor($"{_keys}/id"));
    }

    [Fact]
    public void A_key_under_a_parent_link_into_proc_is_refused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_keys, "self"), "/proc/self");
        Assert.EndsWith($"error RC3015: identity_file '{_keys}/self/environ' {NotUsable}", DiagnosticsFor($"{_keys}/self/environ"));
    }

    [Fact]
    public void A_fifo_or_a_large_file_is_not_a_key()
    {
        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(_keys, "fifo")]))
        {
            mkfifo.WaitForExit();
        }

        File.WriteAllBytes(Path.Combine(_keys, "large"), new byte[65 * 1024]);
        Assert.EndsWith($"identity_file '{_keys}/fifo' {NotUsable}", DiagnosticsFor($"{_keys}/fifo"));
        Assert.EndsWith($"identity_file '{_keys}/large' {NotUsable}", DiagnosticsFor($"{_keys}/large"));
    }

    [Fact]
    public void Every_refusal_is_the_same_line_telling_nothing_of_the_runner_but_the_path_as_written()
    {
        // A link into /dev, a link into /proc through a parent, a link to a directory, a directory, a FIFO behind a link,
        // a file one byte too large, the path as written under /proc: each a different fact about the runner.
        File.CreateSymbolicLink(Path.Combine(_keys, "dev"), "/dev/zero");
        Directory.CreateSymbolicLink(Path.Combine(_keys, "self"), "/proc/self");
        Directory.CreateSymbolicLink(Path.Combine(_keys, "etc"), "/etc");
        Directory.CreateDirectory(Path.Combine(_keys, "dir"));
        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(_keys, "fifo")]))
        {
            mkfifo.WaitForExit();
        }

        File.CreateSymbolicLink(Path.Combine(_keys, "to-fifo"), Path.Combine(_keys, "fifo"));
        File.WriteAllBytes(Path.Combine(_keys, "large"), new byte[64 * 1024 + 1]);
        string[] written = ["LINK/dev", "LINK/self/environ", "LINK/etc", "LINK/dir", "LINK/to-fifo", "LINK/large", "/proc/self/environ"];

        var said = written.Select(w => DiagnosticsFor(w.Replace("LINK", _keys)).Replace(_keys, "LINK")).ToList();

        Assert.All(said, (line, i) => Assert.Equal($"{_specs.Path("inventory.yaml")}:5:20: error RC3015: identity_file '{written[i]}' {NotUsable}", line));
        Assert.All(said, line => Assert.DoesNotContain("zero", line));
        Assert.All(said, line => Assert.DoesNotMatch(@"/proc/\d", line));
    }

    [Fact]
    public void A_key_of_exactly_64_KiB_is_accepted()
    {
        File.WriteAllBytes(Path.Combine(_keys, "edge"), new byte[64 * 1024]);
        Assert.Empty(DiagnosticsFor($"{_keys}/edge"));
    }

    [Fact]
    public void A_small_regular_key_or_one_that_does_not_exist_here_is_accepted()
    {
        File.WriteAllText(Path.Combine(_keys, "real"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        File.CreateSymbolicLink(Path.Combine(_keys, "linked"), Path.Combine(_keys, "real"));
        Assert.Empty(DiagnosticsFor($"{_keys}/linked"));
        Assert.Empty(DiagnosticsFor("/nonexistent/id"));
    }

    [Fact]
    public void A_key_file_a_change_brings_is_not_looked_at_so_no_answer_tells_what_the_runner_holds()
    {
        // Given the base names /keys/base-id for web1, and the runner holds a link into /dev, a FIFO and a large file
        File.CreateSymbolicLink(Path.Combine(_keys, "dev"), "/dev/zero");
        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(_keys, "fifo")]))
        {
            mkfifo.WaitForExit();
        }

        File.WriteAllBytes(Path.Combine(_keys, "large"), new byte[65 * 1024]);
        File.WriteAllText(Path.Combine(_keys, "real"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        var reviewed = SpecDirectory.Reviewed("kind: inventory\nhosts:\n  web1:\n    address: 10.0.0.1\n    identity_file: /keys/base-id\n    host_key: ssh-ed25519 KEY\n");
        string AsChange(string identityFile) => string.Join("\n", _specs
            .Write("inventory.yaml", $"kind: inventory\nhosts:\n  web1:\n    address: 10.0.0.1\n    identity_file: {identityFile}\n    host_key: ssh-ed25519 KEY\n")
            .LoadAsChange(reviewed).Diagnostics);

        // When a pull request points web1's key at each of them, or at a new host's key (the host is not contacted either)
        var said = new[] { "dev", "fifo", "large", "real", "missing" }.Select(k => AsChange($"{_keys}/{k}")).ToList();

        // Then every answer is the same: nothing of the runner was looked at
        Assert.All(said, Assert.Empty);
        Assert.Empty(AsChange("/proc/self/environ"));
        // A key the base already names is the reviewed one, checked as always; a control character needs no look at all
        var reviewedHere = SpecDirectory.Reviewed($"kind: inventory\nhosts:\n  web1:\n    address: 10.0.0.1\n    identity_file: {_keys}/base-id\n    host_key: ssh-ed25519 KEY\n");
        File.CreateSymbolicLink(Path.Combine(_keys, "base-id"), "/dev/zero");
        Assert.EndsWith($"identity_file '{_keys}/base-id' {NotUsable}", string.Join("\n", _specs
            .Write("inventory.yaml", $"kind: inventory\nhosts:\n  web1:\n    address: 10.0.0.1\n    identity_file: {_keys}/base-id\n    host_key: ssh-ed25519 KEY\n")
            .LoadAsChange(reviewedHere).Diagnostics));
        Assert.Contains("contains a control character", AsChange("\"/keys/a\\tb\""));
    }
}
