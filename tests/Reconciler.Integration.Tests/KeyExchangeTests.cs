using Reconciler.Core.Model;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Ssh;

namespace Reconciler.Integration.Tests;

/// <summary>
/// Issue 22: a read-only run offers the cheap key exchanges first (sntrup761 costs a tenth of a second of the
/// controller's CPU per connection in SSH.NET), a run that writes keeps OpenSSH's post-quantum-first order. What the
/// host's sshd (OpenSSH 9.2, which has sntrup761 but not mlkem768) says it agreed is the evidence.
/// </summary>
public sealed class KeyExchangeTests
{
    [Fact]
    public async Task A_read_only_run_agrees_on_curve25519_and_a_writing_run_on_the_post_quantum_hybrid()
    {
        // Given a Debian 12 host whose sshd logs the key exchange it agrees on
        await using var host = await DebianHost.StartAsync();
        await host.ExecAsync("echo 'LogLevel DEBUG1' >> /etc/ssh/sshd_config.d/10-reconciler.conf && kill -HUP $(cat /run/sshd.pid)");
        var spec = new HostSpec("web1", host.Address, host.Port, DebianHost.RootUser, SshKeyPair.Shared.PrivateKeyPath, await host.HostKeyAsync(), [],
            new Dictionary<string, object?>());

        // When the transport connects once in each order
        foreach (var order in new[] { KeyExchangeOrder.FastFirst, KeyExchangeOrder.PostQuantumFirst })
        {
            using var transport = new SshTransport(TimeSpan.FromSeconds(15), keyExchange: order);
            await using var session = await transport.ConnectAsync(spec, CancellationToken.None);
            var answer = await session.RunScriptAsync("echo connected\n", CancellationToken.None);
            Assert.Equal("connected\n", answer.Stdout);
        }

        // Then the first connection agreed on curve25519 and the second on sntrup761x25519, in that order
        var agreed = (await host.LogsAsync()).Split('\n').Where(l => l.Contains("kex: algorithm: ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("kex: algorithm: ", StringComparison.Ordinal) + "kex: algorithm: ".Length)..].Split(' ')[0]).ToList();
        Assert.Equal(["curve25519-sha256", "sntrup761x25519-sha512"], agreed.Select(a => a.Replace("@openssh.com", "", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_fast_order_puts_mlkem_then_curve25519_first_and_keeps_every_other_exchange_after_them()
    {
        var offered = new Dictionary<string, int> { ["mlkem768x25519-sha256"] = 1, ["sntrup761x25519-sha512"] = 2, ["curve25519-sha256"] = 3, ["ecdh-sha2-nistp256"] = 4 };

        KeyExchangeOrder.FastFirst.Arrange(offered);

        Assert.Equal(["mlkem768x25519-sha256", "curve25519-sha256", "sntrup761x25519-sha512", "ecdh-sha2-nistp256"], offered.Keys);
        var unchanged = new Dictionary<string, int>(offered.Reverse());
        KeyExchangeOrder.PostQuantumFirst.Arrange(unchanged);
        Assert.Equal(offered.Keys.Reverse(), unchanged.Keys);
    }
}
