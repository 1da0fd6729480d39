using System.Globalization;
using Reconciler.Cli.Views;
using Reconciler.Core.Engine;
using Reconciler.Core.Text;
using Reconciler.Ssh;

namespace Reconciler.Cli.Features;

/// <summary>
/// <c>reconciler host-key HOST[:PORT]</c>: the inventory line pinning a host's SSH key, for a newcomer who would otherwise
/// paste ssh-keyscan output (a known_hosts line, host field first) into <c>host_key</c>. The key comes over the network
/// unauthenticated, so the output says, plainly, to compare its fingerprint with the host's own before pinning it.
/// </summary>
internal sealed class HostKeyFeature(Terminal terminal)
{
    /// <summary>What of a failure's message is shown; a server chooses its disconnect reason's length.</summary>
    internal const int MaxMessage = 500;

    public async Task<int> RunAsync(string target, int timeoutSeconds, CancellationToken ct)
    {
        if (Parse(target) is not { } endpoint)
        {
            terminal.Error.WriteLine($"host-key: '{target}' is not HOST, HOST:PORT or [IPv6]:PORT");
            return ExitCodes.Error;
        }

        ScannedHostKey key;
        try
        {
            key = await HostKeyScanner.ScanAsync(endpoint.Host, endpoint.Port, TimeSpan.FromSeconds(timeoutSeconds), ct);
        }
        catch (TransportException e)
        {
            // The message may quote the server (its version line, its disconnect reason): escaped and cut.
            var said = VisibleText.Inline(e.Message);
            terminal.Error.WriteLine($"host-key: {(said.Length <= MaxMessage ? said : said[..MaxMessage] + "…")}");
            return ExitCodes.Error;
        }

        var path = key.Algorithm switch
        {
            "ssh-ed25519" => "/etc/ssh/ssh_host_ed25519_key.pub",
            var a when a.StartsWith("ecdsa-", StringComparison.Ordinal) => "/etc/ssh/ssh_host_ecdsa_key.pub",
            _ => "/etc/ssh/ssh_host_rsa_key.pub",
        };
        terminal.Out.WriteLine($"# {endpoint.Host}:{endpoint.Port} offered {key.Algorithm} {key.Sha256Fingerprint}");
        terminal.Out.WriteLine("# Anyone between you and the host could have answered instead. Before you pin this key, compare the");
        terminal.Out.WriteLine($"# fingerprint with the host's own, read where no one stands between (its console: ssh-keygen -lf {path}).");
        terminal.Out.WriteLine("# Then put this line under the host in inventory.yaml:");
        terminal.Out.WriteLine($"    host_key: \"{key.InventoryValue}\"");
        return ExitCodes.Ok;
    }

    /// <summary>HOST, HOST:PORT, [IPv6] or [IPv6]:PORT; a bare IPv6 address (two or more colons) is a host without a port.</summary>
    internal static (string Host, int Port)? Parse(string target)
    {
        target = target.Trim();
        if (target.StartsWith('['))
        {
            var close = target.IndexOf(']');
            if (close < 2) return null;
            var rest = target[(close + 1)..];
            return rest.Length == 0 ? (target[1..close], 22)
                : rest.StartsWith(':') && Port(rest[1..]) is { } p ? (target[1..close], p) : null;
        }

        var colons = target.Count(c => c == ':');
        if (colons == 1)
        {
            var at = target.IndexOf(':');
            return at > 0 && Port(target[(at + 1)..]) is { } p ? (target[..at], p) : null;
        }

        return target.Length == 0 || target.Any(char.IsWhiteSpace) ? null : (target, 22);

        static int? Port(string text) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536 ? port : null;
    }
}
