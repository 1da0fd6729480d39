using Renci.SshNet;
using Renci.SshNet.Security;

namespace Reconciler.Ssh.Agent;

/// <summary>One key the agent holds: its algorithm (the blob's first string) and public-key blob.</summary>
internal sealed record AgentIdentity(string KeyType, byte[] Blob)
{
    /// <summary>Sign-request flags asking an RSA key for SHA-256 or SHA-512 signatures (SHA-1 "ssh-rsa" is never asked).</summary>
    public const uint RsaSha2_256 = 2;

    public const uint RsaSha2_512 = 4;

    /// <summary>
    /// The public-key algorithms to offer with this key, most preferred first: an RSA key as rsa-sha2-512 then
    /// rsa-sha2-256 (as SSH.NET offers an RSA key file, without the SHA-1 that current sshd refuses); any other as its type.
    /// </summary>
    public IEnumerable<(string Algorithm, uint Flags)> Algorithms() => KeyType == "ssh-rsa"
        ? [("rsa-sha2-512", RsaSha2_512), ("rsa-sha2-256", RsaSha2_256)]
        : [(KeyType, 0u)];
}

/// <summary>The agent's keys as SSH.NET's public-key authentication takes keys: a source of algorithms that can sign.</summary>
internal sealed class AgentKeys(SshAgent agent, IReadOnlyList<AgentIdentity> identities) : IPrivateKeySource
{
    public int Count => identities.Count;

    public IReadOnlyCollection<HostAlgorithm> HostKeyAlgorithms { get; } =
        identities.SelectMany(k => k.Algorithms().Select(a => (HostAlgorithm)new AgentSigner(agent, k, a.Algorithm, a.Flags))).ToList();

    /// <summary>Signs by asking the agent, which holds the private key; a signature under another algorithm is refused.</summary>
    private sealed class AgentSigner(SshAgent agent, AgentIdentity key, string algorithm, uint flags) : HostAlgorithm(algorithm)
    {
        public override byte[] Data => key.Blob;

        public override byte[] Sign(byte[] data)
        {
            var signature = agent.Sign(key.Blob, data, flags);
            var signedWith = SignatureAlgorithm(signature);
            return signedWith == Name
                ? signature
                : throw new AgentException($"the ssh-agent signed with '{signedWith}' when asked for '{Name}' (an agent too old for rsa-sha2?)");
        }

        /// <summary>Never called: the host verifies a client's signature, the client does not.</summary>
        public override bool VerifySignature(byte[] data, byte[] signature) => throw new NotSupportedException();

        private static string SignatureAlgorithm(byte[] signature)
        {
            if (signature.Length < 4) throw new AgentException("the ssh-agent's signature is malformed");
            var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(signature);
            if (length > 64 || length > signature.Length - 4) throw new AgentException("the ssh-agent's signature is malformed");
            var name = signature.AsSpan(4, (int)length);
            return name.ToArray().All(b => b is > 0x20 and < 0x7f)
                ? System.Text.Encoding.ASCII.GetString(name)
                : throw new AgentException("the ssh-agent's signature is malformed");
        }
    }
}
