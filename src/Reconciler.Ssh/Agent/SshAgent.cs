using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Reconciler.Ssh.Agent;

/// <summary>
/// A client of the ssh-agent protocol (draft-miller-ssh-agent) over the agent's unix socket: it lists the agent's keys
/// and asks the agent to sign; the private keys never leave the agent. The agent is another process, so everything it
/// answers is bounded: each exchange ends within <paramref name="timeout"/> (an agent that never answers, or drips, is an
/// error, not a hang), an answer is at most <see cref="MaxMessageBytes"/>, a list at most <see cref="MaxKeys"/> keys of at
/// most <see cref="MaxKeyBlobBytes"/> each. Every failure is an <see cref="AgentException"/> with a one-line reason.
/// </summary>
/// <param name="socketPath">SSH_AUTH_SOCK, from the controller's environment only: never from specs, so a pull request
/// cannot point the controller at a socket of its choosing.</param>
internal sealed class SshAgent(string socketPath, TimeSpan timeout)
{
    /// <summary>OpenSSH's own limit on an agent message.</summary>
    public const int MaxMessageBytes = 256 * 1024;

    /// <summary>Far above any real agent's; each key costs the host an authentication attempt.</summary>
    public const int MaxKeys = 100;

    /// <summary>Far above any public key (an RSA-16384 key blob is about 2 KiB; a certificate a few).</summary>
    public const int MaxKeyBlobBytes = 16 * 1024;

    private const byte Failure = 5;
    private const byte RequestIdentities = 11;
    private const byte IdentitiesAnswer = 12;
    private const byte SignRequest = 13;
    private const byte SignResponse = 14;

    /// <summary>The agent's keys as public-key blobs with their algorithm (the blob's first string).</summary>
    public IReadOnlyList<AgentIdentity> Identities()
    {
        var answer = new AgentReader(Exchange([RequestIdentities]));
        Expect(answer, IdentitiesAnswer, "its list of keys");
        var count = answer.UInt32();
        if (count > MaxKeys)
        {
            throw new AgentException($"the ssh-agent lists {count} keys; at most {MaxKeys} are used");
        }

        var keys = new List<AgentIdentity>();
        for (var i = 0; i < count; i++)
        {
            var blob = answer.String(MaxKeyBlobBytes, "a key");
            answer.String(MaxMessageBytes, "a key's comment");
            keys.Add(new AgentIdentity(KeyType(blob), blob));
        }

        return keys;
    }

    /// <summary>The agent's signature of <paramref name="data"/>, as SSH puts it on the wire (algorithm, then signature).</summary>
    /// <param name="flags">For an RSA key, which hash: <see cref="AgentIdentity.RsaSha2_256"/> or <see cref="AgentIdentity.RsaSha2_512"/>.</param>
    public byte[] Sign(byte[] keyBlob, byte[] data, uint flags)
    {
        var request = new MemoryStream();
        request.WriteByte(SignRequest);
        WriteString(request, keyBlob);
        WriteString(request, data);
        Span<byte> flagBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(flagBytes, flags);
        request.Write(flagBytes);

        var answer = new AgentReader(Exchange(request.ToArray()));
        Expect(answer, SignResponse, "the signature");
        return answer.String(MaxMessageBytes, "the signature");
    }

    private static void Expect(AgentReader answer, byte type, string what)
    {
        var got = answer.Byte();
        if (got == Failure)
        {
            throw new AgentException($"the ssh-agent refused {what} (a locked agent, a key that needs confirmation, or a key it does not hold)");
        }

        if (got != type)
        {
            throw new AgentException($"the ssh-agent answered message type {got} instead of {type} ({what})");
        }
    }

    /// <summary>The algorithm a key blob names: its first string, which must be a plain algorithm name.</summary>
    private static string KeyType(byte[] blob)
    {
        var name = new AgentReader(blob).String(64, "a key's algorithm");
        return name.Length > 0 && name.All(b => b is > 0x20 and < 0x7f)
            ? Encoding.ASCII.GetString(name)
            : throw new AgentException("the ssh-agent listed a key whose algorithm name is not printable");
    }

    private byte[] Exchange(byte[] request)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            return ExchangeAsync(request, deadline.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw new AgentException($"the ssh-agent did not answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (SocketException e)
        {
            throw new AgentException($"cannot reach the ssh-agent at SSH_AUTH_SOCK: {e.SocketErrorCode}");
        }
        catch (IOException)
        {
            throw new AgentException("the ssh-agent closed the connection before it answered in full");
        }
    }

    private async Task<byte[]> ExchangeAsync(byte[] request, CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
        var framed = new byte[4 + request.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed, (uint)request.Length);
        request.CopyTo(framed, 4);
        await socket.SendAsync(framed, SocketFlags.None, ct);

        var header = new byte[4];
        await ReceiveExactlyAsync(socket, header, ct);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length is 0 or > MaxMessageBytes)
        {
            throw new AgentException($"the ssh-agent announced an answer of {length} bytes (at most {MaxMessageBytes})");
        }

        var body = new byte[length];
        await ReceiveExactlyAsync(socket, body, ct);
        return body;
    }

    private static async Task ReceiveExactlyAsync(Socket socket, byte[] buffer, CancellationToken ct)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, ct);
            if (n == 0) throw new IOException("closed");
            read += n;
        }
    }

    private static void WriteString(Stream stream, byte[] value)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)value.Length);
        stream.Write(length);
        stream.Write(value);
    }

    /// <summary>Reads the protocol's types from one answer; running past its end is a malformed answer.</summary>
    private sealed class AgentReader(byte[] message)
    {
        private int _at;

        public byte Byte() => Take(1, "a message type")[0];

        public uint UInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4, "a count"));

        public byte[] String(int maxBytes, string what)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(Take(4, what));
            if (length > maxBytes)
            {
                throw new AgentException($"the ssh-agent sent {what} of {length} bytes (at most {maxBytes})");
            }

            return Take((int)length, what).ToArray();
        }

        private ReadOnlySpan<byte> Take(int count, string what)
        {
            if (count > message.Length - _at)
            {
                throw new AgentException($"the ssh-agent's answer is malformed: it ends inside {what}");
            }

            var taken = message.AsSpan(_at, count);
            _at += count;
            return taken;
        }
    }
}

/// <summary>Why the ssh-agent could not be used, in one line.</summary>
internal sealed class AgentException(string message) : Exception(message);
