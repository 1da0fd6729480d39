using Reconciler.Core.Diagnostics;

namespace Reconciler.Core.Resources.Firewall;

/// <summary>A declared block set: canonical entries of both families; the reader already rejected bad ones.</summary>
public sealed record BlockSet(string Name, IReadOnlyList<BlockEntry> Entries, RuleAction Action, SourceLocation Source);
