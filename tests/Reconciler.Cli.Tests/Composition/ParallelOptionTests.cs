using System.Net;
using System.Net.Sockets;

namespace Reconciler.Cli.Tests.Composition;

/// <summary>
/// Issue 22: --parallel bounds how many hosts a command works on at once, over the inventory's defaults.parallel. Seen
/// from the far end: every host's address is one local listener that accepts and never answers (each connection ends at
/// the host's connect_timeout), and it counts how many connections it holds at once.
/// </summary>
public sealed class ParallelOptionTests : IDisposable
{
    private readonly string _specs = Directory.CreateTempSubdirectory("reconciler-parallel-").FullName;
    private readonly SilentListener _listener = new();

    public void Dispose()
    {
        _listener.Dispose();
        Directory.Delete(_specs, recursive: true);
    }

    private void WriteInventory(int hosts, int? parallel)
    {
        var lines = new List<string> { "kind: inventory" };
        if (parallel is { } p) lines.Add($"defaults: {{ parallel: {p} }}");
        lines.Add("hosts:");
        for (var i = 1; i <= hosts; i++)
        {
            lines.Add($"  web{i}: {{ address: 127.0.0.1, port: {_listener.Port}, connect_timeout: 1, identity_file: {KeyFile()}, "
                + "host_key: \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEJtUxuTy1r6MvOdi/hrxqJP1BUicmr5R1J+UvnLsnqs\" }");
        }

        File.WriteAllLines(Path.Combine(_specs, "inventory.yaml"), lines);
    }

    /// <summary>A real key, so connecting gets as far as the network: never used, the far end never answers.</summary>
    private string KeyFile()
    {
        var path = Path.Combine(_specs, "key");
        if (!File.Exists(path))
        {
            using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            File.WriteAllText(path, key.ExportECPrivateKeyPem());
        }

        return path;
    }

    private async Task<(int Exit, string Output)> PlanAsync(params string[] extra)
    {
        var output = new StringWriter();
        var exit = await App.RunAsync(["plan", "--specs", _specs, .. extra], new Terminal(output, output, false, false), null, default, _ => null, []);
        return (exit, output.ToString());
    }

    [Fact]
    public async Task The_command_line_parallel_reaches_the_engine_over_the_inventorys()
    {
        WriteInventory(hosts: 4, parallel: 4);

        var (exit, output) = await PlanAsync("--parallel", "1");

        Assert.Equal(1, exit);
        Assert.Equal(1, _listener.MaxConcurrent);
        // Each host is its own error (timed out), none is lost.
        Assert.All(Enumerable.Range(1, 4), i => Assert.Contains($"web{i}", output));
        Assert.Equal(4, _listener.Accepted);
    }

    [Fact]
    public async Task The_inventorys_parallel_is_used_when_the_command_line_gives_none()
    {
        WriteInventory(hosts: 4, parallel: 4);

        await PlanAsync();

        Assert.Equal(4, _listener.MaxConcurrent);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    public async Task A_parallel_out_of_bounds_is_refused_before_any_host_is_contacted(string parallel)
    {
        WriteInventory(hosts: 1, parallel: null);

        var (exit, output) = await PlanAsync("--parallel", parallel);

        Assert.Equal(1, exit);
        Assert.Contains("--parallel must be between 1 and 1000", output);
        Assert.Equal(0, _listener.Accepted);
    }

    /// <summary>
    /// Every whole-number option with a range (--parallel, --confirm-timeout, --lock-timeout, host-key --timeout): a value
    /// that is not a whole number is one line and exit 1. Each once ended the run with the parser's exception and a stack
    /// trace, since the range check read a value that had not parsed.
    /// </summary>
    [Theory]
    [InlineData("plan", "--parallel", "abc")]
    [InlineData("plan", "--parallel", "99999999999")]
    [InlineData("plan", "--parallel", "")]
    [InlineData("drift", "--parallel", "1e3")]
    [InlineData("apply", "--confirm-timeout", "abc")]
    [InlineData("apply", "--lock-timeout", "-")]
    [InlineData("host-key", "--timeout", "ten")]
    public async Task A_value_that_is_not_a_whole_number_is_one_line_and_exit_1(string command, string option, string value)
    {
        WriteInventory(hosts: 1, parallel: null);
        var output = new StringWriter();
        var error = new StringWriter();
        string[] args = command == "host-key" ? [command, "127.0.0.1", option, value] : [command, "--specs", _specs, option, value, .. command == "apply" ? new[] { "--yes" } : []];

        var exit = await App.RunAsync(args, new Terminal(output, error, false, false), null, default, _ => null, []);

        Assert.Equal(1, exit);
        Assert.StartsWith($"Cannot parse argument '{value}' for option '{option}'", error.ToString());
        Assert.DoesNotContain("   at ", error.ToString() + output);
        Assert.Equal(0, _listener.Accepted);
    }

    /// <summary>
    /// Accepts TCP connections and says nothing; counts them and the most open at once. "Open" is asked of the kernel at
    /// each accept (has the peer closed?), not of a reader that may not have run yet: a controller that closes one
    /// connection before it opens the next is never counted twice.
    /// </summary>
    private sealed class SilentListener : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Socket> _held = [];
        private int _maxConcurrent;
        private int _accepted;

        public SilentListener()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);

        public int Accepted => Volatile.Read(ref _accepted);

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    Interlocked.Increment(ref _accepted);
                    _held.RemoveAll(ClosedByPeer);
                    _held.Add(socket);
                    Volatile.Write(ref _maxConcurrent, Math.Max(_maxConcurrent, _held.Count));
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // Stopped.
            }
        }

        /// <summary>Readable with nothing to read: the peer closed it.</summary>
        private static bool ClosedByPeer(Socket socket)
        {
            if (!socket.Poll(0, SelectMode.SelectRead)) return false;
            var buffer = new byte[4096];
            // The controller sends its own identification line before it waits for ours: read past it.
            while (socket.Available > 0) socket.Receive(buffer);
            if (!socket.Poll(0, SelectMode.SelectRead) || socket.Available > 0) return false;
            socket.Dispose();
            return true;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            foreach (var socket in _held) socket.Dispose();
        }
    }
}
