using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Reconciler.Dns.Transport;

/// <summary>What one question to one server gave: the answer's bytes, or why there are none (one line).</summary>
internal abstract record ExchangeResult
{
    private ExchangeResult() { }

    public sealed record Answer(byte[] Message, bool OverTcp) : ExchangeResult;

    public sealed record Failure(string Reason) : ExchangeResult;
}

/// <summary>
/// Sends one query to one server and takes back at most one message: over UDP (tried <see cref="AuthoritativeDnsOptions.Tries"/>
/// times), then over TCP when the UDP answer was truncated. Over TCP exactly one length-prefixed message is read (at most
/// 64 KiB by the format) and the connection is closed: DnsClient's TCP path keeps reading further messages while the
/// server keeps sending them, and one query against a server that floods made a test process grow past 700 MB in 3 s.
/// Every wait is bounded by the per-try timeout and by the call's deadline; a server that trickles bytes gains nothing.
/// </summary>
internal sealed class DnsExchange(AuthoritativeDnsOptions options)
{
    private const int MaxMessage = ushort.MaxValue;

    /// <param name="deadline">The call's deadline, linked to the caller's token.</param>
    /// <param name="callerToken">The caller's own token: only its cancellation throws.</param>
    public async Task<ExchangeResult> AskAsync(IPEndPoint server, byte[] query, CancellationToken deadline, CancellationToken callerToken)
    {
        var id = BinaryPrimitives.ReadUInt16BigEndian(query);
        var ignored = 0;
        for (var attempt = 0; attempt < options.Tries; attempt++)
        {
            using var tryTimeout = CancellationTokenSource.CreateLinkedTokenSource(deadline);
            tryTimeout.CancelAfter(options.QueryTimeout);
            try
            {
                using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);

                // Connected: the kernel drops datagrams from any other address or port.
                await socket.ConnectAsync(server, tryTimeout.Token);
                await socket.SendAsync(query, SocketFlags.None, tryTimeout.Token);
                var buffer = new byte[MaxMessage];
                while (true)
                {
                    var received = await socket.ReceiveAsync(buffer, SocketFlags.None, tryTimeout.Token);
                    if (!IsAnswerTo(buffer.AsSpan(0, received), id))
                    {
                        // A late answer to an earlier try, or noise: wait on for ours.
                        ignored++;
                        continue;
                    }

                    var message = buffer[..received];
                    return IsTruncated(message)
                        ? await AskOverTcpAsync(server, query, id, deadline, callerToken)
                        : new ExchangeResult.Answer(message, OverTcp: false);
                }
            }
            catch (OperationCanceledException) when (!callerToken.IsCancellationRequested && !deadline.IsCancellationRequested)
            {
                // This try timed out; the next one is sent.
            }
            catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
            {
                return new ExchangeResult.Failure($"no answer from {server} within the call's deadline of {Reason.Seconds(options.CallDeadline)}");
            }
            catch (SocketException e)
            {
                return new ExchangeResult.Failure($"{server} over UDP: {Describe(e.SocketErrorCode)}");
            }
        }

        var noise = ignored == 0 ? "" : $"; {ignored} datagrams that were no answer to the query were ignored";
        return new ExchangeResult.Failure($"no answer from {server} within {Reason.Seconds(options.QueryTimeout)} ({options.Tries} tries over UDP{noise})");
    }

    private async Task<ExchangeResult> AskOverTcpAsync(IPEndPoint server, byte[] query, ushort id, CancellationToken deadline, CancellationToken callerToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        timeout.CancelAfter(options.QueryTimeout);
        try
        {
            using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(server, timeout.Token);
            var framed = new byte[query.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
            query.CopyTo(framed, 2);
            await socket.SendAsync(framed, SocketFlags.None, timeout.Token);

            var lengthPrefix = new byte[2];
            if (!await ReadExactlyAsync(socket, lengthPrefix, timeout.Token))
            {
                return new ExchangeResult.Failure($"{server} closed the TCP connection without an answer (the UDP answer was truncated)");
            }

            var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(lengthPrefix)];
            if (!await ReadExactlyAsync(socket, message, timeout.Token))
            {
                return new ExchangeResult.Failure($"{server} closed the TCP connection in the middle of its answer");
            }

            return IsAnswerTo(message, id)
                ? new ExchangeResult.Answer(message, OverTcp: true)
                : new ExchangeResult.Failure($"{server} answered over TCP with a message that is not an answer to the query");
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested && !deadline.IsCancellationRequested)
        {
            return new ExchangeResult.Failure($"no answer from {server} over TCP within {Reason.Seconds(options.QueryTimeout)} (the UDP answer was truncated)");
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            return new ExchangeResult.Failure($"no answer from {server} within the call's deadline of {Reason.Seconds(options.CallDeadline)}");
        }
        catch (SocketException e)
        {
            return new ExchangeResult.Failure($"{server} over TCP: {Describe(e.SocketErrorCode)}");
        }
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken token)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer[filled..], SocketFlags.None, token);
            if (read == 0)
            {
                return false;
            }

            filled += read;
        }

        return true;
    }

    /// <summary>A response (QR set) with the query's id; the rest is judged once the message is read.</summary>
    private static bool IsAnswerTo(ReadOnlySpan<byte> message, ushort id) =>
        message.Length >= 12 && BinaryPrimitives.ReadUInt16BigEndian(message) == id && (message[2] & 0x80) != 0;

    private static bool IsTruncated(ReadOnlySpan<byte> message) => (message[2] & 0x02) != 0;

    /// <summary>The adapter's words for a socket error, never the exception's text.</summary>
    public static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused (nothing listening on that port)",
        SocketError.ConnectionReset => "connection reset",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.TimedOut => "timed out",
        SocketError.AddressFamilyNotSupported => "address family not supported here",
        _ => $"socket error {error}",
    };
}
