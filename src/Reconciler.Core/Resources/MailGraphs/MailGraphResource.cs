using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.MailGraphs;

/// <summary>
/// Mailgraph's RRDs on one host (<paramref name="RrdDir"/>, where mailgraph --daemon-rrd writes them), exported by a drift
/// run for the fleet page; watched, never planned or applied.
/// </summary>
public sealed record MailGraphResource(string Name, string RrdDir, SourceLocation Source) : Resource(Source)
{
    /// <summary>The section's name: the address kind and the prefix of this kind's monitoring error lines.</summary>
    public const string KindName = "mail_graphs";

    /// <summary>Where Debian's mailgraph package keeps its RRDs.</summary>
    public const string DefaultRrdDir = "/var/lib/mailgraph";

    public override ResourceAddress Address => new(KindName, Name);
}
