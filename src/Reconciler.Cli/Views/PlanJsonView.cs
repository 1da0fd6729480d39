using System.Text.Json;
using System.Text.Json.Serialization;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Views;

/// <summary>The machine-readable plan, described by schemas/plan.schema.json. Sensitive values are never written.</summary>
internal static class PlanJsonView
{
    public const string FormatVersion = "1";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Render(Plan plan, DateTimeOffset generatedAt) =>
        JsonSerializer.Serialize(ToDocument(plan, generatedAt), Options);

    internal static PlanDocument ToDocument(Plan plan, DateTimeOffset generatedAt) => new(
        FormatVersion,
        generatedAt.ToString("O"),
        new SummaryDocument(
            plan.Count(ChangeAction.Create), plan.Count(ChangeAction.Update), plan.Count(ChangeAction.Delete),
            plan.Count(ChangeAction.Skip), plan.Count(ChangeAction.Blocked), plan.Hosts.Count, plan.Hosts.Count(h => h.Error is not null)),
        plan.Hosts.Select(h => new HostDocument(
            h.Host,
            h.Error is not null ? "unreachable" : h.HasErrors ? "blocked" : h.HasChanges ? "changes" : "in_sync",
            h.Error,
            h.Changes.Select(c => new ChangeDocument(
                c.Address.ToString(), c.Address.Kind, c.Address.Name, c.Action.Verb(), c.Note,
                new SourceDocument(c.Source.File, c.Source.Line, c.Source.Column),
                c.Attributes.Select(a => new AttributeDocument(a.Name, a.Sensitive ? null : a.Before, a.Sensitive ? null : a.After, a.Sensitive)).ToList())).ToList())).ToList());

    internal sealed record PlanDocument(string FormatVersion, string GeneratedAt, SummaryDocument Summary, IReadOnlyList<HostDocument> Hosts);

    internal sealed record SummaryDocument(int Create, int Update, int Delete, int Skip, int Blocked, int Hosts, int HostsUnreachable);

    internal sealed record HostDocument(string Name, string Status, string? Error, IReadOnlyList<ChangeDocument> Changes);

    internal sealed record ChangeDocument(string Address, string Kind, string Name, string Action, string? Note, SourceDocument Source, IReadOnlyList<AttributeDocument> Attributes);

    internal sealed record SourceDocument(string File, int Line, int Column);

    internal sealed record AttributeDocument(string Name, string? Before, string? After, bool Sensitive);
}
