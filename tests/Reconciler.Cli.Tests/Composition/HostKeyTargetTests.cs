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
}
