using System.Text.RegularExpressions;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.MailGraphs;

/// <summary>
/// <c>mail_graphs: [ { name, rrd_dir } ]</c> — a monitored kind: the host's Mailgraph RRDs, exported by a drift run into
/// <see cref="Monitoring.HostMonitoring.Mail"/> for the fleet page; never planned, applied or part of the desired state's digest.
/// </summary>
public sealed class MailGraphsKind : IResourceKind
{
    public const string NamePattern = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";

    public IReadOnlyList<string> Sections => [MailGraphResource.KindName];

    public IReadOnlyList<string> PlanKinds => [MailGraphResource.KindName];

    public IReadOnlyList<Type> ResourceTypes => [typeof(MailGraphResource)];

    /// <summary>Nothing: it is never applied, so it comes after no kind.</summary>
    public IReadOnlyList<Type> After => [];

    public string SchemaFragment => Resources.SchemaFragment.Of(GetType(), "mail_graphs.schema.json");

    public IReadOnlyList<KindGrammar> Grammars => [new("definitions/mailGraph/properties/name/pattern", NamePattern)];

    public bool Monitors => true;

    public IReadOnlyList<IResourceProvider> CreateProviders() => [new MailGraphsProvider()];

    public string Identity(Resource resource) => resource.Address.ToString();

    /// <summary>One per host: a host's monitoring holds one Mailgraph history, and the fleet page draws one set of graphs for it.</summary>
    public IEnumerable<Diagnostic> Check(IReadOnlyList<Resource> resources)
    {
        var graphs = resources.OfType<MailGraphResource>().ToList();
        foreach (var extra in graphs.Skip(1))
        {
            yield return Diagnostic.Error(DiagnosticCodes.DuplicateResource,
                $"{extra.Address} and {graphs[0].Address} at {graphs[0].Source} are two mail_graphs entries of one host; a host has one, as its section of the fleet page draws one Mailgraph's graphs",
                extra.Source);
        }
    }

    /// <summary>A hostile directory (no reader's check applied): the read quotes it and perl gets it as an argument, never as code.</summary>
    public IReadOnlyList<HostileSample> HostileSamples(HostileText hostile) =>
    [
        new("mail_graphs", new MailGraphsProvider(),
            [new MailGraphResource("mailgraph", $"{hostile.Directory}/{hostile.Text("rrd")}", HostileSample.At)],
            ["E\t0\tno directory"]),
    ];

    public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading)
    {
        foreach (var item in file.Items(MailGraphResource.KindName).OfType<SpecMapping>())
        {
            var errors = reading.Diagnostics.Count;
            void Error(string code, string message, SourceLocation at) => reading.Diagnostics.Add(Diagnostic.Error(code, message, at));
            var name = item.Scalar("name")!;
            if (!Name.IsMatch(name.RawText))
            {
                Error(DiagnosticCodes.InvalidValue, $"mail_graphs name '{PathRules.Printable(name.RawText)}' does not match {NamePattern}", name.Location);
            }

            // The directory is spec input that reaches a root shell and perl: refused here unless absolute, normalized and
            // free of control characters; the read quotes it all the same.
            var dir = item.Scalar("rrd_dir");
            if (dir is not null && PathRules.Problem(dir.RawText) is { } problem)
            {
                Error(DiagnosticCodes.PathNotNormalized, problem, dir.Location);
            }
            else if (dir?.RawText == "/")
            {
                Error(DiagnosticCodes.InvalidValue, "the root directory is not Mailgraph's RRD directory", dir.Location);
            }

            if (reading.Diagnostics.Count > errors) continue;
            yield return new ResourceDeclaration(new MailGraphResource(name.RawText, dir?.RawText ?? MailGraphResource.DefaultRrdDir, item.Location), null);
        }
    }

    /// <summary>The grammar as the code runs it: '$' would also match before a final newline.</summary>
    private static readonly Regex Name = new(NamePattern[..^1] + @"\z");
}
