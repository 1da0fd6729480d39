using System.Net.Sockets;
using System.Text;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Images;
using DotNet.Testcontainers.Networks;

namespace Reconciler.Integration.Tests.Fixtures;

/// <summary>
/// A throw-away Debian 12 host (image reconciler/host-debian:1, built by scripts/build-images.sh) running sshd,
/// reachable on 127.0.0.1:<see cref="Port"/>. Users: root (key login) and deploy (key login, passwordless sudo),
/// both authorized for <see cref="KeyPair"/>. Each container gets its own ssh host keys.
/// The container has NET_ADMIN, LINUX_IMMUTABLE and SYS_ADMIN and an unmasked, writable /proc/sys, so tests may
/// write net.* sysctls and use chattr. Never write vm.*, kernel.* or fs.* sysctls: those are not namespaced
/// and would change the machine running the tests.
/// </summary>
public sealed class DebianHost : IAsyncDisposable
{
    public const string Image = "reconciler/host-debian:1";
    public const string RootUser = "root";
    public const string SudoUser = "deploy";
    public const string TestLabel = "reconciler.integration-tests";

    private const int SshPort = 22;

    private readonly IContainer _container;

    static DebianHost() => DockerEnvironment.EnsureConfigured();

    private DebianHost(IContainer container, SshKeyPair keyPair, string? networkAlias = null)
    {
        _container = container;
        KeyPair = keyPair;
        _networkAlias = networkAlias;
    }

    /// <summary>Set for a host started with no published port: its name on its Docker networks, and only there.</summary>
    private readonly string? _networkAlias;

    /// <summary>
    /// Address to connect to: 127.0.0.1 (the port is published on loopback only), or for a host with no published port
    /// its alias on its Docker networks, which only other containers there resolve — it is reached through a bastion.
    /// </summary>
    public string Address => _networkAlias ?? "127.0.0.1";

    /// <summary>Host port mapped to the container's port 22 (22 itself for a host with no published port).</summary>
    public int Port => _networkAlias is null ? _container.GetMappedPublicPort(SshPort) : SshPort;

    /// <summary>The key pair authorized for root and deploy.</summary>
    public SshKeyPair KeyPair { get; }

    public string ContainerId => _container.Id;

    public string ContainerName => _container.Name.TrimStart('/');

    /// <summary>The underlying Testcontainers container, for anything not covered here.</summary>
    public IContainer Container => _container;

    /// <summary>
    /// Starts a host authorized for <paramref name="keyPair"/> (default <see cref="SshKeyPair.Shared"/>) from
    /// <paramref name="image"/> (default <see cref="Image"/>; any image built on it, e.g. reconciler/host-mail:1).
    /// </summary>
    /// <param name="readOnlyProcSys">Docker's default: /proc/sys read-only, as on a container a user runs by hand.</param>
    public static Task<DebianHost> StartAsync(SshKeyPair? keyPair = null, CancellationToken cancellationToken = default, string image = Image, bool readOnlyProcSys = false) =>
        StartContainerAsync(keyPair, cancellationToken, image, [], readOnlyProcSys: readOnlyProcSys);

    /// <summary>
    /// Starts a host on <paramref name="networks"/> (one network, as well as published on loopback, when
    /// <paramref name="alias"/> is null), or — with an <paramref name="alias"/> — on those networks only, with no published port: the controller
    /// cannot reach it, only other containers on its networks can, by that name (a host behind a bastion).
    /// </summary>
    public static async Task<DebianHost> StartOnNetworksAsync(IReadOnlyList<INetwork> networks, string? alias = null, CancellationToken cancellationToken = default) =>
        await StartContainerAsync(null, cancellationToken, Image, networks, alias);

    private static async Task<DebianHost> StartContainerAsync(
        SshKeyPair? keyPair, CancellationToken cancellationToken, string image, IReadOnlyList<INetwork> networks, string? alias = null, bool readOnlyProcSys = false)
    {
        keyPair ??= SshKeyPair.Shared;
        var published = alias is null;
        // Only unpublished hosts join more networks (after start): joining was seen to refuse the published port for a while.
        if (published && networks.Count > 1) throw new ArgumentException("a host published to the controller is on one network only", nameof(networks));

        var builder = new ContainerBuilder(image)
            .WithImagePullPolicy(PullPolicy.Never)
            .WithLabel(TestLabel, "true")
            .WithEnvironment("AUTHORIZED_KEY", keyPair.PublicKey);
        // One network at creation: engines before API 1.44 (Debian 12's docker.io) refuse more; the rest are joined after start.
        if (networks.Count > 0) builder = builder.WithNetwork(networks[0]);
        if (alias is not null) builder = builder.WithNetworkAliases(alias);
        if (published) builder = builder.WithPortBinding(SshPort, assignRandomHostPort: true);
        var waitStrategy = Wait.ForUnixContainer().UntilMessageIsLogged("Server listening", o => o.WithTimeout(TimeSpan.FromSeconds(60)));
        var container = builder
            .WithCreateParameterModifier(p =>
            {
                var hostConfig = p.HostConfig ??= new HostConfig();
                // SYS_PTRACE: root on a real host may read /proc/PID/exe of a daemon that changed its user; without it,
                // init scripts' pidofproc (opendkim's status) cannot see such a daemon running in a container.
                hostConfig.CapAdd = new List<string> { "NET_ADMIN", "LINUX_IMMUTABLE", "SYS_ADMIN", "SYS_PTRACE" };
                // Empty lists (not null) so Docker unmasks /proc paths and leaves /proc/sys writable.
                if (!readOnlyProcSys)
                {
                    hostConfig.MaskedPaths = new List<string>();
                    hostConfig.ReadonlyPaths = new List<string>();
                }
                // Publish on loopback only, random host port.
                if (published)
                {
                    hostConfig.PortBindings = new Dictionary<string, IList<PortBinding>>
                    {
                        [$"{SshPort}/tcp"] = new List<PortBinding> { new() { HostIP = "127.0.0.1", HostPort = string.Empty } },
                    };
                }
            })
            .WithWaitStrategy(published
                ? waitStrategy.AddCustomWaitStrategy(new SshBannerIsServed(), o => o.WithTimeout(TimeSpan.FromSeconds(30)))
                : waitStrategy)
            .Build();

        try
        {
            await container.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await container.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException(
                $"Could not start {image}: {ex.Message} -- is dockerd running and the image built? Run scripts/setup-docker.sh (as root).",
                ex);
        }

        await JoinAsync(container, networks.Skip(1), alias, cancellationToken);
        return new DebianHost(container, keyPair, alias);
    }

    /// <summary>Joins more networks after start, with the docker CLI (the same engine Testcontainers talks to).</summary>
    private static async Task JoinAsync(IContainer container, IEnumerable<INetwork> networks, string? alias, CancellationToken cancellationToken)
    {
        foreach (var network in networks)
        {
            var start = new System.Diagnostics.ProcessStartInfo("docker") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in alias is null ? ["network", "connect", network.Name, container.Id] : new[] { "network", "connect", "--alias", alias, network.Name, container.Id })
            {
                start.ArgumentList.Add(argument);
            }

            using var docker = System.Diagnostics.Process.Start(start)!;
            var error = await docker.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await docker.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (docker.ExitCode != 0) throw new InvalidOperationException($"docker network connect {network.Name} failed: {error}");
        }
    }

    /// <summary>The image whose PID 1 is systemd (scripts/build-images.sh, Hosts/debian-systemd): sshd runs as a systemd unit.</summary>
    public const string SystemdImage = "reconciler/host-systemd:1";

    /// <summary>
    /// Starts a <see cref="SystemdImage"/> host: /run and /run/lock on tmpfs, the cgroup tree read-only, SYS_ADMIN, and
    /// /lib/systemd/systemd as PID 1 (after the entrypoint writes the keys); ready when sshd, started by systemd, answers.
    /// </summary>
    public static async Task<DebianHost> StartSystemdAsync(SshKeyPair? keyPair = null, CancellationToken cancellationToken = default)
    {
        keyPair ??= SshKeyPair.Shared;
        var container = new ContainerBuilder(SystemdImage)
            .WithImagePullPolicy(PullPolicy.Never)
            .WithLabel(TestLabel, "true")
            .WithEnvironment("AUTHORIZED_KEY", keyPair.PublicKey)
            .WithPortBinding(SshPort, assignRandomHostPort: true)
            .WithTmpfsMount("/run")
            .WithTmpfsMount("/run/lock")
            .WithBindMount("/sys/fs/cgroup", "/sys/fs/cgroup", AccessMode.ReadOnly)
            .WithCommand("/lib/systemd/systemd")
            .WithCreateParameterModifier(p =>
            {
                var hostConfig = p.HostConfig ??= new HostConfig();
                hostConfig.CapAdd = new List<string> { "SYS_ADMIN" };
                hostConfig.PortBindings = new Dictionary<string, IList<PortBinding>>
                {
                    [$"{SshPort}/tcp"] = new List<PortBinding> { new() { HostIP = "127.0.0.1", HostPort = string.Empty } },
                };
            })
            .WithWaitStrategy(Wait.ForUnixContainer()
                .AddCustomWaitStrategy(new SshBannerIsServed(), o => o.WithTimeout(TimeSpan.FromSeconds(90))))
            .Build();
        try
        {
            await container.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await container.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"Could not start {SystemdImage}: {ex.Message} -- is the image built? Run scripts/build-images.sh (as root).", ex);
        }

        return new DebianHost(container, keyPair);
    }

    /// <summary>
    /// The host's ed25519 public key as "ssh-ed25519 AAAA..." (key type and base64 only, no comment),
    /// from /etc/ssh/ssh_host_ed25519_key.pub.
    /// </summary>
    public async Task<string> HostKeyAsync(CancellationToken cancellationToken = default)
    {
        var (exitCode, stdout, stderr) = await ExecAsync("cat /etc/ssh/ssh_host_ed25519_key.pub", cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"reading host key failed ({exitCode}): {stderr}");
        }

        var parts = stdout.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            throw new InvalidOperationException($"unexpected host key line: '{stdout.Trim()}'");
        }

        return $"{parts[0]} {parts[1]}";
    }

    /// <summary>Runs <c>sh -c <paramref name="shellCommand"/></c> as root inside the container (bypasses ssh).</summary>
    public async Task<(long ExitCode, string Stdout, string Stderr)> ExecAsync(string shellCommand, CancellationToken cancellationToken = default)
    {
        var result = await _container.ExecAsync(new List<string> { "sh", "-c", shellCommand }, cancellationToken).ConfigureAwait(false);
        return (result.ExitCode ?? -1, result.Stdout, result.Stderr);
    }

    /// <summary>Container logs (sshd runs with -e, so its log goes to stderr).</summary>
    public async Task<string> LogsAsync(CancellationToken cancellationToken = default)
    {
        var (stdout, stderr) = await _container.GetLogsAsync(ct: cancellationToken).ConfigureAwait(false);
        return stdout + stderr;
    }

    public override string ToString() => $"{ContainerName} ({Address}:{Port})";

    public ValueTask DisposeAsync() => _container.DisposeAsync();

    /// <summary>Waits until the published port hands out an SSH identification line ("SSH-2.0-...").</summary>
    private sealed class SshBannerIsServed : IWaitUntil
    {
        public async Task<bool> UntilAsync(IContainer container)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", container.GetMappedPublicPort(SshPort), cts.Token).ConfigureAwait(false);
                var buffer = new byte[256];
                var read = await client.GetStream().ReadAsync(buffer, cts.Token).ConfigureAwait(false);
                return read > 0 && Encoding.ASCII.GetString(buffer, 0, read).StartsWith("SSH-", StringComparison.Ordinal);
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
            {
                return false;
            }
        }
    }
}
