using System.Diagnostics;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests.Attacker;

/// <summary>
/// The attacker can only open a pull request: they write specs, templates and list files, and the plan job runs with
/// the SSH key and the secrets. Every trick that used to read a runner file, a secret or a host file through the
/// controller is refused at its line, nothing secret reaches any output or artifact, no host is contacted and nothing on
/// the host changes.
/// </summary>
public sealed class HostileSpecTests : IAsyncLifetime
{
    /// <summary>In a runner file outside the specs (where the SSH key would be) and in the environment as a secret.</summary>
    private const string Canary = "QZX7canaryK9runnerSecret";

    private const string SecretVariable = "RECONCILER_SECRET_RUNNER_CANARY";

    private DebianHost _host = null!;
    private SpecsWorkspace _specs = null!;
    private string _runner = null!;

    public async Task InitializeAsync()
    {
        _host = await DebianHost.StartAsync();
        _specs = SpecsWorkspace.Create();
        _runner = Directory.CreateTempSubdirectory("reconciler-runner-").FullName;
        File.WriteAllText(Path.Combine(_runner, "id_ed25519"), $"-----BEGIN OPENSSH PRIVATE KEY-----\n{Canary}\n-----END OPENSSH PRIVATE KEY-----\n");
        await _specs.WriteInventoryAsync([("web1", _host, DebianHost.RootUser, "hardened")]);
    }

    public async Task DisposeAsync()
    {
        _specs.Dispose();
        Directory.Delete(_runner, recursive: true);
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task A_hostile_pull_request_is_refused_line_by_line_leaks_nothing_and_changes_nothing()
    {
        // Given: every controller-side attack from the issue, each in its own file so each error has its own place
        var key = Path.Combine(_runner, "id_ed25519");
        _specs.Write("attack/absolute.yaml", $"kind: resources\ntarget: {{ host: web1 }}\nfiles:\n  - path: /etc/issue.net\n    template: {key}\n");
        File.CreateSymbolicLink(Path.Combine(_specs.Directory, "attack", "linked.sbn"), key);
        _specs.Write("attack/symlink.yaml", "kind: resources\ntarget: { host: web1 }\nfiles:\n  - path: /etc/motd\n    template: linked.sbn\n");
        _specs.Write("attack/environ.yaml", "kind: resources\ntarget: { host: web1 }\nfirewall:\n  block_sets:\n    - name: env\n      entries_file: /proc/self/environ\n");
        _specs.Write("attack/escape.yaml", "kind: resources\ntarget: { host: web1 }\nfiles:\n  - path: /etc/x\n    template: ../../../../../../../../proc/self/environ\n");
        _specs.Write("attack/sysctl-read.yaml", "kind: resources\ntarget: { host: web1 }\nsysctls:\n  - key: net/../../../etc/shadow\n    value: 1\n");
        _specs.Write("attack/sysctl-write.yaml", "kind: resources\ntarget: { host: web1 }\nsysctls:\n  - key: kernel/../../../etc/issue\n    value: owned\n");
        _specs.Write("attack/sysctl-dos.yaml", "kind: resources\ntarget: { host: web1 }\nsysctls:\n  - key: ../dev/urandom\n    value: 1\n");
        _specs.Write("attack/eval.yaml", "kind: resources\ntarget: { host: web1 }\nfiles:\n  - path: /etc/eval\n    template: eval.sbn\n  - path: /etc/include\n    template: include.sbn\n");
        _specs.Write("attack/eval.sbn", "{{ object.eval \"secret \\\"runner_canary\\\"\" | string.reverse }}\n");
        _specs.Write("attack/include.sbn", "{{ include \"/etc/passwd\" }}\n");
        var planFile = Path.Combine(_specs.Directory, "..", Path.GetFileName(_specs.Directory) + "-plan.json");
        var reportDir = Path.Combine(_specs.Directory, "..", Path.GetFileName(_specs.Directory) + "-report");
        var hostBefore = await HostSnapshotAsync();

        // When: the real CLI runs each command that reads specs, in its own process (so /proc/self/environ would
        // hold the secret): the plan of a pull request, and the same specs reaching apply, drift and watch
        string[][] commands =
        [
            ["plan", "--specs", _specs.Directory, "--format", "json", "--out", planFile],
            ["apply", "--yes", "--specs", _specs.Directory],
            ["drift", "--specs", _specs.Directory, "--report-dir", reportDir],
            ["watch", "--specs", _specs.Directory, "--once"],
        ];
        foreach (var command in commands)
        {
            var (exit, stdout, stderr) = await RunCliAsync(command);

            // Then: refused, each attack at its own line and column, naming the rule
            var output = stdout + stderr;
            var what = $"{command[0]}: exit {exit}\n{output}";
            Assert.True(exit == 1, what);
            Assert.True(output.Contains($"attack/absolute.yaml:5:15: error RC3015: template '{key}' is refused: files named in specs are relative"), what);
            Assert.True(output.Contains("attack/symlink.yaml:5:15: error RC3015: template 'linked.sbn' is refused: it is a symbolic link that resolves outside the specs directory"), what);
            Assert.True(output.Contains("attack/environ.yaml:6:21: error RC3015: list file '/proc/self/environ' is refused"), what);
            Assert.True(output.Contains("attack/escape.yaml:5:15: error RC3015: template '../../../../../../../../proc/self/environ' is refused: it leads outside the specs directory"), what);
            Assert.True(output.Contains("attack/sysctl-read.yaml:4:10: error RC2001: sysctls[0].key: 'net/../../../etc/shadow' does not match the pattern"), what);
            Assert.True(output.Contains("attack/sysctl-write.yaml:4:10: error RC2001: sysctls[0].key: 'kernel/../../../etc/issue' does not match the pattern"), what);
            Assert.True(output.Contains("attack/sysctl-dos.yaml:4:10: error RC2001: sysctls[0].key: '../dev/urandom' does not match the pattern"), what);
            Assert.True(output.Contains("attack/eval.sbn:1:4: error RC3016: 'object.eval' is not allowed in templates"), what);
            Assert.True(output.Contains("attack/include.sbn:1:4: error RC3016: 'include' is not allowed in templates"), what);

            // And: no runner file, secret or host file in any form, in any output or artifact
            var artifacts = output + (File.Exists(planFile) ? File.ReadAllText(planFile) : "") +
                            (Directory.Exists(reportDir) ? string.Concat(Directory.GetFiles(reportDir).Select(File.ReadAllText)) : "");
            foreach (var form in new[] { Canary, new string(Canary.Reverse().ToArray()), string.Join(" ", Canary.ToCharArray()), Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Canary)) })
            {
                Assert.DoesNotContain(form, artifacts);
            }

            Assert.DoesNotContain("root:x:0:0", artifacts);
            Assert.DoesNotContain(SecretVariable, artifacts);

            // And: the host was never contacted, and its files and sysctls are byte-identical
            Assert.Equal(hostBefore, await HostSnapshotAsync());
        }

        File.Delete(planFile);
        if (Directory.Exists(reportDir)) Directory.Delete(reportDir, recursive: true);
    }

    [Fact]
    public async Task Under_repo_only_the_commit_s_objects_are_read_with_the_same_rule()
    {
        // Given: the same absolute and symlinked templates, committed
        var key = Path.Combine(_runner, "id_ed25519");
        _specs.Write("attack/absolute.yaml", $"kind: resources\ntarget: {{ host: web1 }}\nfiles:\n  - path: /etc/issue.net\n    template: {key}\n");
        File.CreateSymbolicLink(Path.Combine(_specs.Directory, "attack", "linked.sbn"), key);
        _specs.Write("attack/symlink.yaml", "kind: resources\ntarget: { host: web1 }\nfiles:\n  - path: /etc/motd\n    template: linked.sbn\n");
        var repo = Directory.CreateTempSubdirectory("reconciler-repo-").FullName;
        try
        {
            CopyDirectory(_specs.Directory, Path.Combine(repo, "specs"));
            Git(repo, "init", "-q");
            Git(repo, "add", "-A");
            Git(repo, "-c", "user.name=attacker", "-c", "user.email=a@example.test", "commit", "-qm", "hostile");
            var hostBefore = await HostSnapshotAsync();

            // When
            var (exit, stdout, stderr) = await RunCliAsync("plan", "--repo", repo, "--specs", "specs");

            // Then: the absolute path is refused by rule, the link (not a git file) is never followed outside
            var output = stdout + stderr;
            Assert.True(exit == 1, $"exit {exit}\n{output}");
            Assert.Contains($"specs/attack/absolute.yaml:5:15: error RC3015: template '{key}' is refused", output);
            Assert.Contains("specs/attack/symlink.yaml:5:15: error RC3015: template 'linked.sbn' is refused: it is a symbolic link that resolves outside the specs directory", output);
            Assert.DoesNotContain(Canary, output);
            Assert.Equal(hostBefore, await HostSnapshotAsync());
        }
        finally
        {
            Directory.Delete(repo, recursive: true);
        }
    }

    /// <summary>Every file under the directories an attack aimed at (metadata and content hashes), and the sysctls.</summary>
    private async Task<string> HostSnapshotAsync()
    {
        var snapshot = await _host.ExecAsync(
            "find /etc /root /var/lib /usr/local -xdev \\( -type f -o -type l -o -type d \\) -printf '%p %y %m %u %g %s %T@\\n' | sort | sha256sum;"
            + " find /etc /root -xdev -type f -exec sha256sum {} + | sort | sha256sum;"
            + " for k in net/ipv4/tcp_syncookies net/ipv4/ip_forward net/ipv4/conf/all/arp_ignore kernel/hostname; do cat /proc/sys/$k; done;"
            + " if [ -e /var/lib/reconciler ]; then ls -la /var/lib/reconciler; else echo no-state; fi");
        Assert.True(snapshot.ExitCode == 0, snapshot.Stderr);
        return snapshot.Stdout;
    }

    /// <summary>The real CLI in a process of its own, with a secret in its environment that no spec names.</summary>
    private static async Task<(int Exit, string Stdout, string Stderr)> RunCliAsync(params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "reconciler.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cli);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[SecretVariable] = Canary;
        start.Environment.Remove("GITHUB_ACTIONS");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static void Git(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', args)}: {process.StandardError.ReadToEnd()}");
    }

    /// <summary>Copies files and symbolic links as links (git commits a link as a link).</summary>
    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo)
            {
                CopyDirectory(entry.FullName, target);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }
}
