using Reconciler.Cli.Features;

namespace Reconciler.Cli.Tests.Composition;

/// <summary>The forms <c>reconciler host-key</c> reads a target in.</summary>
public sealed class HostKeyTargetTests
{
    [Theory]
    [InlineData("mail1.example.com", "mail1.example.com", 22)]
    [InlineData("127.0.0.1:32877", "127.0.0.1", 32877)]
    [InlineData("[2001:db8::1]:2222", "2001:db8::1", 2222)]
    [InlineData("[2001:db8::1]", "2001:db8::1", 22)]
    [InlineData("2001:db8::1", "2001:db8::1", 22)]
    public void Targets_are_read(string target, string host, int port) =>
        Assert.Equal((host, port), HostKeyFeature.Parse(target));

    [Theory]
    [InlineData("")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:x")]
    [InlineData("[::1]x")]
    [InlineData("a b")]
    public void Malformed_targets_are_refused(string target) => Assert.Null(HostKeyFeature.Parse(target));

    [Fact]
    public async Task A_hostile_servers_text_is_escaped_and_cut()
    {
        // A "server" whose version line carries a terminal escape and a workflow command, then closes.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            using var peer = await listener.AcceptTcpClientAsync();
            var stream = peer.GetStream();
            var hostile = "SSH-1.0-\u001b]0;owned\u0007" + new string('A', 200) + "\n::error::forged\r\n";
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(hostile));
            await Task.Delay(500);
        });
        var output = new StringWriter();

        await new HostKeyFeature(new Terminal(output, output, false, false)).RunAsync($"127.0.0.1:{port}", 5, default);
        await serve;

        var text = output.ToString();
        Assert.DoesNotContain("\u001b", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n::", text, StringComparison.Ordinal);
        Assert.True(text.Length < HostKeyFeature.MaxMessage + 100, text);
    }
}
