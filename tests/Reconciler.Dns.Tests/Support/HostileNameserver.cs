using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Reconciler.Core.Dns;

namespace Reconciler.Dns.Tests.Support;

/// <summary>
/// The attacker of these tests: a nameserver on 127.0.0.1 (UDP and TCP on one random port) that answers each query as
/// the test says, honest or not: garbage, silence, floods, bytes trickled one at a time.
/// </summary>
public sealed class HostileNameserver : IAsyncDisposable
{
    private readonly UdpClient _udp;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;

    /// <param name="udp">The datagrams sent back for a query (none is silence).</param>
    /// <param name="tcp">What is done with the TCP stream after a query arrived on it; by default it is closed.</param>
    public HostileNameserver(Func<byte[], IEnumerable<byte[]>> udp, Func<byte[], NetworkStream, CancellationToken, Task>? tcp = null)
    {
        (_udp, _tcp) = BindSamePort();
        EndPoint = (IPEndPoint)_udp.Client.LocalEndPoint!;
        _udpLoop = ServeUdpAsync(udp);
        _tcpLoop = ServeTcpAsync(tcp ?? ((_, _, _) => Task.CompletedTask));
    }

    public IPEndPoint EndPoint { get; }

    public ConcurrentQueue<byte[]> UdpQueries { get; } = new();

    public ConcurrentQueue<byte[]> TcpQueries { get; } = new();

    public Nameserver AsNameserver(string name = "ns.hostile.test") => new(name, EndPoint.Address, EndPoint.Port);

    /// <summary>Answers every query over UDP with what <paramref name="answer"/> builds (null: silence).</summary>
    public static HostileNameserver Answering(Func<byte[], byte[]?> answer, Func<byte[], NetworkStream, CancellationToken, Task>? tcp = null) =>
        new(query => answer(query) is { } reply ? [reply] : [], tcp);

    public static async Task WriteFramedAsync(Stream stream, byte[] message, CancellationToken ct)
    {
        var prefix = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(prefix, (ushort)message.Length);
        await stream.WriteAsync(prefix, ct);
        await stream.WriteAsync(message, ct);
    }

    private static (UdpClient, TcpListener) BindSamePort()
    {
        for (var attempt = 0; ; attempt++)
        {
            var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            try
            {
                var tcp = new TcpListener(IPAddress.Loopback, ((IPEndPoint)udp.Client.LocalEndPoint!).Port);
                tcp.Start();
                return (udp, tcp);
            }
            catch (SocketException) when (attempt < 20)
            {
                udp.Dispose();
            }
        }
    }

    private async Task ServeUdpAsync(Func<byte[], IEnumerable<byte[]>> answer)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var received = await _udp.ReceiveAsync(_stop.Token);
                UdpQueries.Enqueue(received.Buffer);
                foreach (var datagram in answer(received.Buffer))
                {
                    await _udp.SendAsync(datagram, received.RemoteEndPoint, _stop.Token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task ServeTcpAsync(Func<byte[], NetworkStream, CancellationToken, Task> serve)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _tcp.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        try
                        {
                            var stream = client.GetStream();
                            var prefix = new byte[2];
                            await stream.ReadExactlyAsync(prefix, _stop.Token);
                            var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                            await stream.ReadExactlyAsync(query, _stop.Token);
                            TcpQueries.Enqueue(query);
                            await serve(query, stream, _stop.Token);
                        }
                        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or EndOfStreamException)
                        {
                            // The client hung up on the attacker: what the adapter is meant to do.
                        }
                    }
                });
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        _tcp.Stop();
        await Task.WhenAll(_udpLoop, _tcpLoop);
        _stop.Dispose();
    }
}
