namespace Reconciler.Cli.Features;

/// <param name="Issues">Keep one GitHub issue per drifted host (needs GITHUB_TOKEN and GITHUB_REPOSITORY).</param>
/// <param name="Mention">Who is notified when an issue opens or its drift changes, e.g. "org/ops"; the @ is optional.</param>
/// <param name="Repo">Read the specs from this repository's HEAD commit, so the report can say how far behind each host is.</param>
/// <param name="Shard">Read only this shard's part of the selected hosts (--shard K/N); <c>reconciler merge</c> joins the reports.</param>
internal sealed record DriftRequest(
    string Specs, string? Hosts, string ReportDirectory, bool Issues = false, string? Mention = null, string? Repo = null, Core.Model.Shard? Shard = null, int? Parallel = null)
{
    /// <summary>The mention as GitHub reads it; on the command line the @ is left off, since System.CommandLine takes @x for a response file.</summary>
    public string? Handle => string.IsNullOrWhiteSpace(Mention) ? null : "@" + Mention.Trim().TrimStart('@');
}
