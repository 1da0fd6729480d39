using System.Net.Sockets;
using Reconciler.Core.Engine;
using Renci.SshNet;
using Renci.SshNet.Common;
using Renci.SshNet.Messages.Transport;

namespace Reconciler.Ssh;

/// <summary>A host key as the host offered it: what an inventory's <c>host_key</c> pins, and its OpenSSH fingerprint.</summary>
public sealed record ScannedHostKey(string Algorithm, string KeyBase64, string Sha256Fingerprint)
{
    public string InventoryValue => $"{Algorithm} {KeyBase64}";
}

/// <summary>
/// Asks a host for its SSH host key and stops at the key exchange: nothing is authenticated, no identity is offered,
/// nothing runs. The key is only as trustworthy as the network between here and the host, so whoever pins it compares
/// its fingerprint with the host's own first (<c>reconciler host-key</c> says so).
/// </summary>
public static class HostKeyScanner
{
    /// <summary>The algorithms asked for, most preferred first; the first the host has a key for is the one pinned.</summary>
    private static readonly string[][] Preference =
    [
        ["ssh-ed25519"],
        ["ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"],
        ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"],
    ];

    /// <exception cref="TransportException">The host could not be reached or offered no key of a known algorithm (one line).</exception>
    public static async Task<ScannedHostKey> ScanAsync(string address, int port, TimeSpan timeout, CancellationToken ct)
    {
        string? lastProblem = null;
        foreach (var algorithms in Preference)
        {
            var (key, problem) = await TryAsync(address, port, timeout, algorithms, ct);
            if (key is not null) return key;
            lastProblem = problem;
            // Only a host that answered but has no key of these algorithms is worth asking again.
            if (problem is not null && !problem.StartsWith("no key of", StringComparison.Ordinal)) break;
        }

        throw new TransportException($"{address}:{port}: {lastProblem}");
    }

    private static async Task<(ScannedHostKey? Key, string? Problem)> TryAsync(
        string address, int port, TimeSpan timeout, string[] algorithms, CancellationToken ct)
    {
        // A user name and a method are required by SSH.NET's connection info; neither is ever sent, as the exchange
        // stops at the host key.
        var connection = new ConnectionInfo(address, port, "reconciler-host-key-scan", new NoneAuthenticationMethod("reconciler-host-key-scan"))
        {
            Timeout = timeout,
        };
        foreach (var other in connection.HostKeyAlgorithms.Keys.Where(a => !algorithms.Contains(a)).ToList())
        {
            connection.HostKeyAlgorithms.Remove(other);
        }

        ScannedHostKey? seen = null;
        using var client = new SshClient(connection);
        client.HostKeyReceived += (_, e) =>
        {
            seen = new ScannedHostKey(e.HostKeyName, Convert.ToBase64String(e.HostKey), "SHA256:" + e.FingerPrintSHA256.TrimEnd('='));
            e.CanTrust = false;
        };

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await client.ConnectAsync(deadline.Token);
        }
        catch (Exception e) when (seen is null && e is SshConnectionException { DisconnectReason: DisconnectReason.KeyExchangeFailed })
        {
            return (null, $"no key of {string.Join(", ", algorithms)}");
        }
        catch (Exception e) when (seen is null && !ct.IsCancellationRequested)
        {
            return (null, e switch
            {
                SocketException s => $"cannot connect: {s.SocketErrorCode}",
                SshOperationTimeoutException or OperationCanceledException => $"no SSH answer within {timeout.TotalSeconds:0.#}s",
                SshConnectionException c => $"SSH connection failed: {c.Message}",
                _ => $"{e.GetType().Name}: {e.Message}",
            });
        }
        catch (Exception) when (seen is not null)
        {
            // Refusing the key ends the exchange with an error: the expected way out once the key is seen.
        }

        return (seen, null);
    }
}
