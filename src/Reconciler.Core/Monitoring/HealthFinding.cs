namespace Reconciler.Core.Monitoring;

/// <summary>
/// One health rule judged on one subject: <paramref name="Rule"/> as the spec writes it (e.g. "inodes_used_max"),
/// <paramref name="Subject"/> what it was measured on (a mount point, "memory", "tcp"), <paramref name="Value"/> and
/// <paramref name="Threshold"/> as shown to a reader (e.g. "93.1 %" against "≤ 90 %"), and whether the rule is breached.
/// <paramref name="Source"/> is where the rule is declared (path:line:col).
/// </summary>
public sealed record HealthFinding(string Rule, string Subject, string Value, string Threshold, bool Breached, string Source);
