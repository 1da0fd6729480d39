using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Reconciler.Ssh;

/// <summary>
/// Runs scripts over the host's one connection. The script goes on stdin to <c>sh -s</c> (behind <c>sudo -n</c> for
/// non-root users), so it never appears in the remote process list and its size is not bounded by ARG_MAX.
/// </summary>
internal sealed class SshHostSession(SshClient client, HostSpec host, SshTransportStats stats) : IHostSession
{
    private const int SudoFailed = 126;

    public async Task<ScriptResult> RunScriptAsync(string script, CancellationToken cancellationToken)
    {
        var shell = host.NeedsSudo ? "sudo -n -- /bin/sh -s || exit 126" : "/bin/sh -s";
        using var command = client.CreateCommand(host.NeedsSudo ? $"sudo -n true 2>/dev/null || exit {SudoFailed}; {shell}" : shell);
        try
        {
            var execution = command.ExecuteAsync(cancellationToken);
            stats.RanCommand();
            await using (var stdin = command.CreateInputStream())
            {
                var bytes = Encoding.UTF8.GetBytes(script);
                await stdin.WriteAsync(bytes, cancellationToken);
            }

            await execution;
        }
        catch (Exception e) when (e is SshException or ObjectDisposedException or InvalidOperationException or IOException or System.Net.Sockets.SocketException)
        {
            throw new TransportException($"{host.Name}: connection lost while running a command: {e.Message}", e);
        }

        var exit = command.ExitStatus ?? -1;
        if (host.NeedsSudo && exit == SudoFailed && command.Result.Length == 0)
        {
            throw new TransportException($"{host.Name}: user {host.User} cannot run commands as root (sudo -n failed; passwordless sudo is required)");
        }

        return new ScriptResult(exit, command.Result, command.Error);
    }

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }
}
