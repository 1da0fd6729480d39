using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;
using Reconciler.Ssh;

namespace Reconciler.Integration.Tests;

/// <summary>
/// Issue 21: a host without identity_file is reached with the keys of the ssh-agent at SSH_AUTH_SOCK (a real ssh-agent
/// and ssh-add, an RSA key signed with rsa-sha2 and an ed25519 key); an agent with no keys, or one that answers garbage,
/// huge or nothing, is a one-line error within seconds.
/// </summary>
public sealed class SshAgentTests
{
    [Fact]
    public async Task Plan_and_apply_reach_a_host_without_identity_file_through_a_real_agent()
    {
        await using var host = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("h1", host, DebianHost.RootUser, "hardened")], identityFile: false);
        HardeningSpec.WriteTo(specs);
        using var agent = RealAgent.Start();
        var withAgent = new Dictionary<string, string> { ["SSH_AUTH_SOCK"] = agent.Socket };

        var empty = await CliRun.ExecWithEnvironmentAsync(withAgent, "plan", "--specs", specs.Directory);
        Assert.Equal(1, empty.ExitCode);
        Assert.Contains("h1: no identity_file, and the ssh-agent (SSH_AUTH_SOCK) holds no keys: add one with ssh-add", empty.Stdout + empty.Stderr);

        var none = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.Contains("h1: no identity_file, and no ssh-agent to ask (SSH_AUTH_SOCK is not set)", none.Stdout + none.Stderr);

        // An RSA key the host accepts: signed through the agent with rsa-sha2 (the host refuses SHA-1 ssh-rsa).
        var rsa = Path.Combine(agent.Directory, "id_rsa");
        Run("ssh-keygen", "-t", "rsa", "-b", "3072", "-N", "", "-q", "-f", rsa);
        Assert.Equal(0, (await host.ExecAsync($"echo '{File.ReadAllText(rsa + ".pub").Trim()}' >> /root/.ssh/authorized_keys")).ExitCode);
        agent.Add(rsa);
        var plan = await CliRun.ExecWithEnvironmentAsync(withAgent, "plan", "--specs", specs.Directory);
        // Exit 2: the host was read and has changes to make.
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("+ sysctl[net.ipv4.tcp_syncookies]", plan.Stdout);

        // The ed25519 key the container was started with, alone in the agent: apply, then a plan that finds nothing to do.
        Run("ssh-add", agent.Socket, "-D");
        agent.Add(host.KeyPair.PrivateKeyPath);
        var apply = await CliRun.ExecWithEnvironmentAsync(withAgent, "apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        var after = await CliRun.ExecWithEnvironmentAsync(withAgent, "plan", "--specs", specs.Directory);
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Contains("No changes", after.Stdout, StringComparison.OrdinalIgnoreCase);
    }

    public static TheoryData<string, byte[]?, string> Answers => new()
    {
        { "an answer announced as 4 GiB", [0xff, 0xff, 0xff, 0xff], "the ssh-agent announced an answer of 4294967295 bytes (at most 262144)" },
        { "a million keys", Framed([12, 0x00, 0x0f, 0x42, 0x40]), "the ssh-agent lists 1000000 keys; at most 100 are used" },
        { "a key of 200 kB", Framed([12, 0, 0, 0, 1, 0x00, 0x03, 0x0d, 0x40]), "the ssh-agent sent a key of 200000 bytes (at most 16384)" },
        { "two keys announced, none sent", Framed([12, 0, 0, 0, 2]), "the ssh-agent's answer is malformed: it ends inside a key" },
        { "a key with an unprintable algorithm", Framed([12, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 1, 0x1b, 0, 0, 0, 0]), "the ssh-agent listed a key whose algorithm name is not printable" },
        { "a cut answer", [0, 0, 0, 100, 12, 0, 0], "the ssh-agent closed the connection before it answered in full" },
        { "a refusal", Framed([5]), "the ssh-agent refused its list of keys (a locked agent, a key that needs confirmation, or a key it does not hold)" },
        { "another message type", Framed([99]), "the ssh-agent answered message type 99 instead of 12 (its list of keys)" },
        { "no answer at all", null, "the ssh-agent did not answer within 5 s" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task A_broken_or_hostile_agent_is_one_line_within_seconds(string what, byte[]? answer, string reason)
    {
        using var agent = FakeAgent.Start(answer);
        var started = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TransportException>(() =>
            new SshTransport(TimeSpan.FromSeconds(5), agentSocket: agent.Socket).ConnectAsync(HostWithoutKey, CancellationToken.None));

        Assert.True(error.Message == $"h: no identity_file, and {reason}", $"{what}: {error.Message}");
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"{what} took {started.Elapsed}");
    }

    [Fact]
    public async Task No_agent_listening_at_the_socket_is_one_line()
    {
        var error = await Assert.ThrowsAsync<TransportException>(() =>
            new SshTransport(TimeSpan.FromSeconds(5), agentSocket: "/nonexistent/agent.sock").ConnectAsync(HostWithoutKey, CancellationToken.None));

        Assert.StartsWith("h: no identity_file, and cannot reach the ssh-agent at SSH_AUTH_SOCK: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static readonly HostSpec HostWithoutKey = new("h", "127.0.0.1", 1, "root", null, "SHA256:x", [], new Dictionary<string, object?>());

    private static byte[] Framed(byte[] body)
    {
        var framed = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed, (uint)body.Length);
        body.CopyTo(framed, 4);
        return framed;
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        if (file == "ssh-add")
        {
            // ssh-add takes the agent from its environment: the first argument here is the socket.
            psi.Environment["SSH_AUTH_SOCK"] = args[0];
            psi.ArgumentList.RemoveAt(0);
        }

        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)}: {stderr.Result}");
    }

    /// <summary>A real ssh-agent in the foreground on its own socket, stopped (by its own process) at the end.</summary>
    private sealed class RealAgent : IDisposable
    {
        private readonly Process _process;

        private RealAgent(Process process, string directory)
        {
            _process = process;
            Directory = directory;
        }

        public string Directory { get; }

        public string Socket => Path.Combine(Directory, "agent.sock");

        public static RealAgent Start()
        {
            var directory = System.IO.Directory.CreateTempSubdirectory("reconciler-agent-").FullName;
            var psi = new ProcessStartInfo("ssh-agent") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "-D", "-a", Path.Combine(directory, "agent.sock") }) psi.ArgumentList.Add(arg);
            var agent = new RealAgent(Process.Start(psi)!, directory);
            for (var i = 0; i < 100 && !File.Exists(agent.Socket); i++) Thread.Sleep(50);
            Assert.True(File.Exists(agent.Socket), "ssh-agent did not create its socket");
            return agent;
        }

        public void Add(string key) => Run("ssh-add", Socket, "-q", key);

        public void Dispose()
        {
            _process.Kill();
            _process.WaitForExit();
            _process.Dispose();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    /// <summary>A socket that answers every request with fixed bytes (or never, for null), then closes.</summary>
    private sealed class FakeAgent : IDisposable
    {
        private readonly Socket _listener;
        private readonly string _directory;
        private readonly CancellationTokenSource _stop = new();

        private FakeAgent(Socket listener, string directory)
        {
            _listener = listener;
            _directory = directory;
        }

        public string Socket => Path.Combine(_directory, "agent.sock");

        public static FakeAgent Start(byte[]? answer)
        {
            var directory = Directory.CreateTempSubdirectory("reconciler-fake-agent-").FullName;
            var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(Path.Combine(directory, "agent.sock")));
            listener.Listen();
            var agent = new FakeAgent(listener, directory);
            _ = agent.ServeAsync(answer);
            return agent;
        }

        private async Task ServeAsync(byte[]? answer)
        {
            try
            {
                while (true)
                {
                    using var client = await _listener.AcceptAsync(_stop.Token);
                    await client.ReceiveAsync(new byte[4096], SocketFlags.None, _stop.Token);
                    if (answer is null)
                    {
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                    }

                    await client.SendAsync(answer, SocketFlags.None, _stop.Token);
                    client.Shutdown(SocketShutdown.Both);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
