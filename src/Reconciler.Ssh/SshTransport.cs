using System.Net.Sockets;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Reconciler.Ssh;

/// <summary>SSH with key authentication and pinned host keys; one connection per host session.</summary>
/// <param name="limits">What one command may print before it is stopped (default <see cref="OutputLimits.Default"/>).</param>
/// <param name="liveness">How a running command's connection is probed (default <see cref="SshLiveness.Default"/>).</param>
/// <param name="budget">What all hosts' output together may hold (default <see cref="HostOutputBudget.DefaultBytes"/>): one
/// transport serves one run (one CLI process), so its budget is the run's.</param>
public sealed class SshTransport(TimeSpan connectTimeout, OutputLimits? limits = null, SshLiveness? liveness = null, HostOutputBudget? budget = null) : IHostTransport
{
    private readonly SshLiveness _liveness = liveness ?? SshLiveness.Default;

    /// <summary>Shared by every session of this transport, so every host of the run draws on one budget.</summary>
    public HostOutputBudget Budget { get; } = budget ?? new HostOutputBudget();

    public SshTransportStats Stats { get; } = new();

    public async Task<IHostSession> ConnectAsync(HostSpec host, CancellationToken cancellationToken)
    {
        var pin = ParsePin(host);
        var key = LoadKey(host);
        var connection = new ConnectionInfo(host.Address, host.Port, host.User, new PrivateKeyAuthenticationMethod(host.User, key))
        {
            Timeout = host.ConnectTimeout ?? connectTimeout,
        };
        foreach (var algorithm in connection.HostKeyAlgorithms.Keys.Where(a => !pin.Allows(a)).ToList())
        {
            connection.HostKeyAlgorithms.Remove(algorithm);
        }

        var client = new SshClient(connection) { KeepAliveInterval = _liveness.KeepAlive };
        string? refused = null;
        client.HostKeyReceived += (_, e) =>
        {
            e.CanTrust = pin.Matches(e);
            if (!e.CanTrust)
            {
                refused = $"host key mismatch: {host.Name} offered {e.HostKeyName} SHA256:{e.FingerPrintSHA256.TrimEnd('=')}, but the inventory pins {pin}; refusing to connect";
            }
        };

        try
        {
            await client.ConnectAsync(cancellationToken);
            Stats.Connected();
            return new SshHostSession(client, host, Stats, limits ?? OutputLimits.Default, _liveness, Budget);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw new TransportException($"{host.Name} ({host.Address}:{host.Port}): {refused ?? Describe(e, host)}", e);
        }
    }

    private static HostKeyPin ParsePin(HostSpec host)
    {
        try
        {
            return HostKeyPin.Parse(host.HostKey);
        }
        catch (FormatException e)
        {
            throw new TransportException($"{host.Name}: {e.Message}");
        }
    }

    private static PrivateKeyFile LoadKey(HostSpec host)
    {
        try
        {
            // Read bounded and checked first: SSH.NET would read whatever the path leads to, whole.
            using var key = new MemoryStream(IdentityKeyFile.Read(host.IdentityFile), writable: false);
            return new PrivateKeyFile(key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SshException)
        {
            // One message for every reason (missing, refused, unreadable, not a key): the path may be a pull request's, and
            // each reason — or SSH.NET's words about the content — would tell it something about a file on the runner.
            throw new TransportException($"{host.Name}: identity file '{host.IdentityFile}' is not usable: {IdentityKeyFile.NotUsable}");
        }
    }

    private static string Describe(Exception e, HostSpec host) => e switch
    {
        SshAuthenticationException => $"key authentication failed for user {host.User} with {host.IdentityFile}",
        SocketException s => $"cannot connect: {s.SocketErrorCode}",
        SshOperationTimeoutException or OperationCanceledException => "connection timed out",
        SshConnectionException c => $"SSH connection failed: {c.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
