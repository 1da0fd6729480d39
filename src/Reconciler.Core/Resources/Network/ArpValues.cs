namespace Reconciler.Core.Resources.Network;

/// <summary>The live ARP parameters of one <c>net.ipv4.conf.NAME</c> directory.</summary>
public sealed record ArpValues(string Name, int Ignore, int Announce);
