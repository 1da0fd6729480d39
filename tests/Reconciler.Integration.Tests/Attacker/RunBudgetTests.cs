using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;
using Reconciler.Ssh;
using Xunit.Abstractions;

namespace Reconciler.Integration.Tests.Attacker;

/// <summary>
/// Issue 15, class "memory and time are bounded per run, not per item": each attack runs the real CLI as a child process
/// and is held to the hostile suite's target (<see cref="MeasuredCliRun.TargetPeakRssBytes"/> peak RSS,
/// <see cref="MeasuredCliRun.TargetWall"/>) with a clear error. Hosts are real containers made hostile at test time.
/// </summary>
public sealed class RunBudgetTests(ITestOutputHelper output)
{
    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static async Task ExecOkAsync(DebianHost host, string command)
    {
        var result = await host.ExecAsync(command);
        Assert.True(result.ExitCode == 0, $"{command}: {result.Stderr}");
    }

    private static void WriteMotdSpec(SpecsWorkspace specs, string target) =>
        specs.Write("motd.yaml", $$"""
            kind: resources
            target: {{target}}
            files:
              - path: /etc/motd
                content: "Managed by reconciler\n"
                mode: "0644"
            """);

    private void WithinTarget(MeasuredCliRun run)
    {
        output.WriteLine($"peak RSS {run.PeakRssMiB:0.#} MiB, {run.Wall.TotalSeconds:0.#} s");
        Assert.True(run.WithinTarget, $"over the run's target (500 MB peak RSS, 60 s): {run}");
    }

    [Fact]
    public async Task Four_hosts_a_pull_request_adds_each_printing_62_MB_draw_on_one_budget_and_plan_stays_under_500_MB_and_60_s()
    {
        // Given a good host and four hostile hosts (as a pull request would add them) whose stat prints 62 MB before answering:
        // each is under the 64 MiB per-command cap, each is more than the run's budget for host output can hold
        var good = await DebianHost.StartAsync();
        var hostile = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => DebianHost.StartAsync()));
        try
        {
            using var specs = SpecsWorkspace.Create();
            await specs.WriteInventoryAsync(hostile.Select((h, i) => ($"added{i + 1}", h, DebianHost.RootUser, "web")).Prepend(("web1", good, DebianHost.RootUser, "web")));
            WriteMotdSpec(specs, "{ group: web }");
            var line = "S\t0\t" + new string('A', 100);
            // (only the fact read's stat of the file floods — read with others, then, its answer cut, on its own, where the S
            // record is printed straight to the answer; every other stat answers as stat would, so what the controller meets
            // first is that flood, whatever the script's order)
            var flood = $"#!/bin/sh\ncase \"$2\" in --printf=S*|--printf=%n*) yes '{line}' | head -c 62000000 ;; esac\nexec /usr/bin/stat \"$@\"\n";
            await Task.WhenAll(hostile.Select(h => ExecOkAsync(h, $"echo {Base64(flood)} | base64 -d > /usr/local/bin/stat && chmod 755 /usr/local/bin/stat")));

            // When the plan runs, as its own process
            var plan = await MeasuredCliRun.ExecAsync("plan", "--specs", specs.Directory);

            // Then the good host is planned, every hostile host has its own one-line budget error (no one answer of 62 MB,
            // charged at 4 x bytes, fits the run's budget even alone), and the run stayed in bounds
            Assert.True(plan.ExitCode == 1, plan.ToString());
            Assert.Contains("~ file[/etc/motd]", plan.Stdout);
            for (var i = 1; i <= 4; i++)
            {
                var error = plan.Stdout.Split('\n').SingleOrDefault(l => l.StartsWith($"added{i}: error: ", StringComparison.Ordinal));
                Assert.True(error is not null, $"added{i} has no error line\n{plan}");
                Assert.Contains($"added{i}: the run's budget for host output (64 MiB across all hosts) had no room for more", error);
            }

            WithinTarget(plan);
        }
        finally
        {
            await good.DisposeAsync();
            foreach (var h in hostile) await h.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_liveness_probe_answered_with_an_endless_stream_is_capped_and_the_host_gets_its_own_error()
    {
        // Given a host whose fact read is slow (so the connection is probed) and whose sshd answers the probe with /dev/zero
        await using var host = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "web")]);
        WriteMotdSpec(specs, "{ host: web1 }");
        const string forced = "#!/bin/sh\nif [ \"$SSH_ORIGINAL_COMMAND\" = true ]; then exec cat /dev/zero; fi\nexec /bin/sh -c \"$SSH_ORIGINAL_COMMAND\"\n";
        await ExecOkAsync(host, $"echo {Base64(forced)} | base64 -d > /usr/local/bin/hostile-ssh && chmod 755 /usr/local/bin/hostile-ssh");
        await ExecOkAsync(host, $"echo {Base64("#!/bin/sh\nsleep 8\nexec /usr/bin/stat \"$@\"\n")} | base64 -d > /usr/local/bin/stat && chmod 755 /usr/local/bin/stat");
        await ExecOkAsync(host, "sed -i 's#^#command=\"/usr/local/bin/hostile-ssh\" #' /root/.ssh/authorized_keys");

        // When the plan runs
        var plan = await MeasuredCliRun.ExecAsync("plan", "--specs", specs.Directory);

        // Then the probe's flood is cut at its cap: a one-line error for the host, and the run stayed in bounds
        Assert.True(plan.ExitCode == 1, plan.ToString());
        Assert.Contains("web1: error: web1: the liveness probe printed more than 4 KiB (it prints nothing); the connection was closed", plan.Stdout);
        WithinTarget(plan);
    }

    [Fact]
    public async Task An_identity_file_linking_to_dev_zero_is_refused_at_its_inventory_line_and_never_read()
    {
        // Given an inventory whose identity_file is a link (under an ordinary name) to /dev/zero, and one through a linked parent
        using var specs = SpecsWorkspace.Create();
        var keys = Directory.CreateTempSubdirectory("reconciler-keys-").FullName;
        try
        {
            File.CreateSymbolicLink(Path.Combine(keys, "id_ed25519"), "/dev/zero");
            Directory.CreateSymbolicLink(Path.Combine(keys, "proc"), "/proc/self");
            specs.Write("inventory.yaml", $"""
                kind: inventory
                hosts:
                  web1:
                    address: 127.0.0.1
                    port: 1
                    identity_file: {keys}/id_ed25519
                    host_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
                  web2:
                    address: 127.0.0.1
                    port: 1
                    identity_file: {keys}/proc/environ
                    host_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
                """);

            // When validate and plan run
            var validate = await MeasuredCliRun.ExecAsync("validate", "--specs", specs.Directory);
            var plan = await MeasuredCliRun.ExecAsync("plan", "--specs", specs.Directory);

            // Then both refuse each key at its line, naming it only as written (never where it leads), quickly and in bounds
            const string notUsable = "is not usable: a key file must be a regular file of at most 64 KiB outside /proc, /sys and /dev";
            foreach (var run in new[] { validate, plan })
            {
                Assert.True(run.ExitCode == 1, run.ToString());
                Assert.Contains($"inventory.yaml:6:20: error RC3015: identity_file '{keys}/id_ed25519' {notUsable}", run.Stdout + run.Stderr);
                Assert.Contains($"inventory.yaml:11:20: error RC3015: identity_file '{keys}/proc/environ' {notUsable}", run.Stdout + run.Stderr);
                Assert.DoesNotContain("/dev/zero", run.Stdout + run.Stderr);
                Assert.DoesNotMatch(@"/proc/\d", run.Stdout + run.Stderr);
                Assert.DoesNotContain("OutOfMemory", run.Stdout + run.Stderr);
                WithinTarget(run);
            }
        }
        finally
        {
            Directory.Delete(keys, recursive: true);
        }
    }

    [Fact]
    public async Task The_transport_reads_a_key_only_from_a_small_regular_file_wherever_its_links_lead()
    {
        // Given keys that pass no inventory check because they were swapped after it: a link to /dev/zero, a FIFO, a large file
        var keys = Directory.CreateTempSubdirectory("reconciler-keys-").FullName;
        try
        {
            File.CreateSymbolicLink(Path.Combine(keys, "zero"), "/dev/zero");
            using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [Path.Combine(keys, "fifo")]))
            {
                await mkfifo.WaitForExitAsync();
                Assert.Equal(0, mkfifo.ExitCode);
            }

            await File.WriteAllBytesAsync(Path.Combine(keys, "large"), new byte[200 * 1024]);
            await File.WriteAllTextAsync(Path.Combine(keys, "not-a-key"), "root:x:0:0:root:/root:/bin/bash\n");
            var transport = new SshTransport(TimeSpan.FromSeconds(5));

            // When the transport connects with each
            // Then each is refused in one line before any connection, the same line whatever the reason (and for a key that
            // does not exist, or is no key): why would tell a pull request about files on the runner
            foreach (var file in new[] { "zero", "fifo", "large", "missing", "not-a-key" })
            {
                var host = new HostSpec("web1", "127.0.0.1", 1, "root", Path.Combine(keys, file), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl", [], new Dictionary<string, object?>());
                var refused = await Assert.ThrowsAsync<TransportException>(() => transport.ConnectAsync(host, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
                Assert.Equal(
                    $"web1: identity file '{Path.Combine(keys, file)}' is not usable: a key file must be a readable regular file of at most 64 KiB outside /proc, /sys and /dev, holding a private key",
                    refused.Message);
            }

            Assert.Equal(0, transport.Stats.Connections);
        }
        finally
        {
            Directory.Delete(keys, recursive: true);
        }
    }

    [Fact]
    public async Task Fifteen_MB_of_specs_declaring_285000_sysctls_are_refused_with_a_clear_error_under_500_MB_and_60_s()
    {
        // Given fifteen spec files of 1 MB each (under the per-file limit) declaring about 285,000 sysctls for one host
        using var specs = SpecsWorkspace.Create();
        specs.Write("inventory.yaml", """
            kind: inventory
            hosts:
              web1:
                address: 127.0.0.1
                port: 1
                identity_file: /nonexistent/id_ed25519
                host_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
            """);
        var declared = 0;
        for (var file = 0; file < 15; file++)
        {
            var yaml = new StringBuilder("kind: resources\ntarget: { host: web1 }\nsysctls:\n");
            while (yaml.Length < 1_000_000)
            {
                yaml.Append($"  - key: net.ipv4.conf.x{declared++}.rp_filter\n    value: 1\n");
            }

            specs.Write($"sysctls-{file:00}.yaml", yaml.ToString());
        }

        Assert.True(declared > 270_000, $"{declared} declarations");

        // When validate and plan run
        var validate = await MeasuredCliRun.ExecAsync("validate", "--specs", specs.Directory);
        var plan = await MeasuredCliRun.ExecAsync("plan", "--specs", specs.Directory);

        // Then both stop at the run's declaration budget, at the line of the first declaration past it, in bounds
        foreach (var run in new[] { validate, plan })
        {
            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Matches(@"sysctls-01\.yaml:\d+:5: error RC4001: declaration 20001 of the run: one run declares at most 20000 resources", run.Stdout + run.Stderr);
            Assert.Contains("no host was contacted", run.Stdout + run.Stderr);
            WithinTarget(run);
        }
    }
}
