using System.Net.Sockets;
using Reconciler.Core.Engine;
using Reconciler.Ssh.Agent;
using Reconciler.Core.Model;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Reconciler.Ssh;

/// <summary>
/// SSH with key authentication and pinned host keys; one connection per host session. Keys are offered in one order:
/// the host's identity_file first (the inventory's explicit choice, never crowded out by the host's limit on attempts,
/// MaxAuthTries, when an agent holds many keys), then the keys of the ssh-agent at <paramref name="agentSocket"/>.
/// </summary>
/// <param name="limits">What one command may print before it is stopped (default <see cref="OutputLimits.Default"/>).</param>
/// <param name="liveness">How a running command's connection is probed (default <see cref="SshLiveness.Default"/>).</param>
/// <param name="budget">What all hosts' output together may hold (default <see cref="HostOutputBudget.DefaultBytes"/>): one
/// transport serves one run (one CLI process), so its budget is the run's.</param>
/// <param name="agentSocket">SSH_AUTH_SOCK from the controller's environment (null: no agent). Never from specs: a pull
/// request must not point the controller at a socket.</param>
/// <param name="keyExchange">Which key exchanges are offered first (<see cref="KeyExchangeOrder"/>).</param>
public sealed class SshTransport(
    TimeSpan connectTimeout, OutputLimits? limits = null, SshLiveness? liveness = null, HostOutputBudget? budget = null, string? agentSocket = null,
    KeyExchangeOrder keyExchange = KeyExchangeOrder.PostQuantumFirst)
    : IHostTransport, IDisposable
{
    private readonly SshLiveness _liveness = liveness ?? SshLiveness.Default;

    /// <summary>Shared by every session of this transport, so every host of the run draws on one budget.</summary>
    public HostOutputBudget Budget { get; } = budget ?? new HostOutputBudget();

    public SshTransportStats Stats { get; } = new();

    public async Task<IHostSession> ConnectAsync(HostSpec host, CancellationToken cancellationToken)
    {
        var (client, tunnel) = await OpenAsync(host, cancellationToken);
        Stats.Connected();
        return new SshHostSession(client, host, Stats, limits ?? OutputLimits.Default, _liveness, Budget, tunnel);
    }

    /// <summary>
    /// An authenticated client for <paramref name="host"/>: directly, or — behind a bastion — over a tunnel through the
    /// bastion's shared connection (<see cref="Bastions"/>), with this host's own key pin either way. The tunnel, when
    /// there is one, is the caller's to close with the client.
    /// </summary>
    private async Task<(SshClient Client, BastionTunnel? Tunnel)> OpenAsync(HostSpec host, CancellationToken cancellationToken)
    {
        var pin = ParsePin(host);
        var keys = Keys(host);
        var tunnel = host.Via is { } via ? await Bastions.TunnelAsync(via, host, cancellationToken) : null;
        var (address, port) = tunnel is null ? (host.Address, host.Port) : (BastionTunnel.Loopback, tunnel.Port);
        var connection = new ConnectionInfo(address, port, host.User, new PrivateKeyAuthenticationMethod(host.User, keys.Sources))
        {
            Timeout = host.ConnectTimeout ?? connectTimeout,
        };
        foreach (var algorithm in connection.HostKeyAlgorithms.Keys.Where(a => !pin.Allows(a)).ToList())
        {
            connection.HostKeyAlgorithms.Remove(algorithm);
        }

        keyExchange.Arrange(connection.KeyExchangeAlgorithms);

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
            return (client, tunnel);
        }
        catch (Exception e)
        {
            // Closed on every way out, cancellation (a host's time limit) included: the tunnel's loopback listener would
            // otherwise stay open, forwarding to the host, for as long as the bastion's connection lasts (a watch's life).
            client.Dispose();
            tunnel?.Dispose();
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested) throw;
            var through = host.Via is null ? "" : $" via {host.Via.Name}";
            throw new TransportException($"{host.Name} ({host.Address}:{host.Port}{through}): {refused ?? Describe(e, host, keys.Offered)}", e)
            {
                HostKeyMismatch = refused is not null,
            };
        }
    }

    /// <summary>The run's connections to bastions, one per bastion, opened when the first host behind it connects.</summary>
    private BastionPool Bastions => LazyInitializer.EnsureInitialized(ref _bastionPool, () => new BastionPool(async (bastion, token) =>
    {
        // A bastion's tunnel to its own bastion lives as long as its connection: until the pool closes it.
        var (client, _) = await OpenAsync(bastion, token);
        Stats.BastionConnected();
        return client;
    }));

    private BastionPool? _bastionPool;

    /// <summary>Closes the connections to bastions; hosts' sessions are closed by whoever opened them.</summary>
    public void Dispose() => _bastionPool?.Dispose();

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

    /// <summary>How long one exchange with the agent may take: it answers locally, in milliseconds.</summary>
    private static readonly TimeSpan AgentTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The keys to offer <paramref name="host"/>, in order, and how to name them in a failure.</summary>
    private (IPrivateKeySource[] Sources, string Offered) Keys(HostSpec host)
    {
        var sources = new List<IPrivateKeySource>();
        var offered = new List<string>();
        if (host.IdentityFile is { } identityFile)
        {
            sources.Add(LoadKey(host, identityFile));
            offered.Add(identityFile);
        }

        if (agentSocket is null)
        {
            return sources.Count > 0
                ? (sources.ToArray(), offered[0])
                : throw new TransportException($"{host.Name}: no identity_file, and no ssh-agent to ask (SSH_AUTH_SOCK is not set)");
        }

        try
        {
            var agent = new SshAgent(agentSocket, AgentTimeout);
            var agentKeys = new AgentKeys(agent, agent.Identities());
            if (agentKeys.Count > 0)
            {
                sources.Add(agentKeys);
                offered.Add($"the ssh-agent's {agentKeys.Count} key(s)");
            }
            else if (sources.Count == 0)
            {
                throw new TransportException($"{host.Name}: no identity_file, and the ssh-agent (SSH_AUTH_SOCK) holds no keys: add one with ssh-add");
            }
        }
        catch (AgentException e) when (sources.Count == 0)
        {
            throw new TransportException($"{host.Name}: no identity_file, and {e.Message}");
        }
        catch (AgentException)
        {
            // The identity_file is the inventory's own choice: an agent left behind (a stale SSH_AUTH_SOCK) does not stop it.
        }

        return (sources.ToArray(), string.Join(", then ", offered));
    }

    private static PrivateKeyFile LoadKey(HostSpec host, string identityFile)
    {
        try
        {
            // Read bounded and checked first: SSH.NET would read whatever the path leads to, whole.
            using var key = new MemoryStream(IdentityKeyFile.Read(identityFile), writable: false);
            return new PrivateKeyFile(key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SshException)
        {
            // One message for every reason (missing, refused, unreadable, not a key): the path may be a pull request's, and
            // each reason — or SSH.NET's words about the content — would tell it something about a file on the runner.
            throw new TransportException($"{host.Name}: identity file '{identityFile}' is not usable: {IdentityKeyFile.NotUsable}");
        }
    }

    private static string Describe(Exception e, HostSpec host, string offered) => e switch
    {
        SshAuthenticationException => $"key authentication failed for user {host.User} with {offered}",
        AgentException a => a.Message,
        SocketException s => $"cannot connect: {s.SocketErrorCode}",
        SshOperationTimeoutException or OperationCanceledException => "connection timed out",
        SshConnectionException c => $"SSH connection failed: {c.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
