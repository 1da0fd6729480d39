using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace Reconciler.Dns.Transport;

/// <summary>
/// The one transport ARSoft.Tools.Net's client gets for an update: TCP (an update with a DKIM key is larger than 512
/// bytes, and RFC 2136 allows TCP), one connection per update, one length-prefixed answer read (at most 64 KiB), no
/// pooling. ARSoft's client swallows every failure into a null answer; this transport keeps why, in its own words, in
/// <see cref="Problem"/>. The update message never passes through here as text, so the TSIG secret cannot either.
/// </summary>
internal sealed class UpdateTransport(int port, TimeSpan connectTimeout) : IClientTransport
{
    /// <summary>Why the last exchange gave no answer; null when it did, or when ARSoft refused what it got.</summary>
    public string? Problem { get; private set; }

    public ushort MaximumAllowedQuerySize => ushort.MaxValue;

    public bool SupportsReliableTransfer => true;

    public bool SupportsMulticastTransfer => false;

    public bool SupportsPooledConnections => false;

    public async Task<IClientConnection?> ConnectAsync(DnsClientEndpointInfo endpointInfo, int queryTimeout, CancellationToken token = default)
    {
        var server = new IPEndPoint(endpointInfo.DestinationAddress, port);
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(connectTimeout);
        try
        {
            await socket.ConnectAsync(server, timeout.Token);
            return new Connection(this, socket, server);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            Problem = $"{server} did not accept a TCP connection within {Reason.Seconds(connectTimeout)}";
        }
        catch (OperationCanceledException)
        {
            Problem = $"no answer from {server} to the update within the call's deadline";
        }
        catch (SocketException e)
        {
            Problem = $"{server} over TCP: {DnsExchange.Describe(e.SocketErrorCode)}";
        }

        socket.Dispose();
        return null;
    }

    public Task<IClientConnection?> GetPooledConnectionAsync(DnsClientEndpointInfo endpointInfo, CancellationToken token = default) =>
        Task.FromResult<IClientConnection?>(null);

    public void Dispose()
    {
    }

    private sealed class Connection(UpdateTransport transport, Socket socket, IPEndPoint server) : IClientConnection
    {
        public IClientTransport Transport => transport;

        public bool IsFaulty { get; private set; }

        public async Task<bool> SendAsync(DnsRawPackage package, CancellationToken token = default)
        {
            try
            {
                var framed = package.ToArraySegment(includeLengthHeader: true);
                await socket.SendAsync(framed, SocketFlags.None, token);
                return true;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                transport.Problem = e is SocketException s
                    ? $"{server} over TCP: {DnsExchange.Describe(s.SocketErrorCode)}"
                    : $"no answer from {server} to the update within the call's deadline";
                MarkFaulty();
                return false;
            }
        }

        public async Task<DnsReceivedRawPackage?> ReceiveAsync(DnsMessageIdentification identification, CancellationToken token = default)
        {
            try
            {
                await using var stream = new NetworkStream(socket, ownsSocket: false);
                var lengthPrefix = new byte[2];
                await stream.ReadExactlyAsync(lengthPrefix, token);
                var length = BinaryPrimitives.ReadUInt16BigEndian(lengthPrefix);
                if (length < 12)
                {
                    transport.Problem = $"{server} answered the update with {length} bytes, shorter than a DNS header";
                    MarkFaulty();
                    return null;
                }

                // ARSoft's package holds the message after its 2-byte length, as on the wire.
                var buffer = new byte[length + 2];
                lengthPrefix.CopyTo(buffer, 0);
                await stream.ReadExactlyAsync(buffer.AsMemory(2), token);
                var package = new DnsReceivedRawPackage(buffer, server, (IPEndPoint)socket.LocalEndPoint!);
                if (!package.MessageIdentification.Equals(identification))
                {
                    transport.Problem = $"{server} answered the update with a message for another query";
                    MarkFaulty();
                    return null;
                }

                return package;
            }
            catch (EndOfStreamException)
            {
                transport.Problem = $"{server} closed the connection without a whole answer to the update";
            }
            catch (SocketException e)
            {
                transport.Problem = $"{server} over TCP: {DnsExchange.Describe(e.SocketErrorCode)}";
            }
            catch (OperationCanceledException)
            {
                transport.Problem = $"no answer from {server} to the update within the call's deadline";
            }
            catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or FormatException)
            {
                transport.Problem = $"{server} answered the update with a malformed message";
            }

            MarkFaulty();
            return null;
        }

        public void RestartIdleTimeout(TimeSpan? timeout)
        {
            // One update per connection: nothing idles.
        }

        public void MarkFaulty() => IsFaulty = true;

        public void Dispose() => socket.Dispose();
    }
}
