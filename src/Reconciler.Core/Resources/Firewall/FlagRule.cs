using Reconciler.Core.Diagnostics;

namespace Reconciler.Core.Resources.Firewall;

/// <summary>
/// A TCP-flag rule such as the seed's <c>--tcp-flags SYN,FIN SYN,FIN -j DROP</c>: of the flags in <paramref name="Mask"/>,
/// exactly those in <paramref name="Set"/> are set. Flags are upper-case names (FIN, SYN, RST, PSH, ACK, URG).
/// </summary>
public sealed record FlagRule(string Name, IReadOnlyList<string> Mask, IReadOnlyList<string> Set, RuleAction Action, SourceLocation Source);
