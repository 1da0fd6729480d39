using System.Collections.Concurrent;
using Scriban;
using Scriban.Runtime;

namespace Reconciler.Cli.Views;

/// <summary>
/// The one renderer for output kept as template files (src/Reconciler.Cli/Templates/*.sbn, embedded): the pull-request
/// comment, drift issues and the HTML report. Views prepare plain values (every sensitive value already masked);
/// templates only lay them out.
/// </summary>
internal static class ViewTemplates
{
    private static readonly ConcurrentDictionary<string, Template> Parsed = new(StringComparer.Ordinal);

    public static string Render(string name, ScriptObject model)
    {
        var template = Parsed.GetOrAdd(name, Load);
        var context = new TemplateContext
        {
            // A misspelt name in a template must fail the tests, not render as empty text in a pull request.
            StrictVariables = true,
            TemplateLoader = null,
            MemberRenamer = member => member.Name,
            // Scriban stops a loop after 1,000 turns by default: a plan of 1,001 hosts or a report of 1,001 differences
            // would fail to render. These templates are the tool's own; what they loop over is bounded by the run.
            LoopLimit = int.MaxValue,
            // Scriban also cuts any string it makes at 1 MiB by default, which cut the whole page: a fleet.html of a few
            // hundred hosts (or a drift.html of many differences) ended mid-attribute, without its other hosts, its
            // script or its closing tags. What the views place is bounded by the run (fleet.html by FleetBudget).
            LimitToString = 0,
        };
        context.PushGlobal(model);
        return template.Render(context);
    }

    private static Template Load(string name)
    {
        var resource = $"Reconciler.Cli.Templates.{name}";
        using var stream = typeof(ViewTemplates).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded template {resource} is missing from the build");
        using var reader = new StreamReader(stream);
        var template = Template.Parse(reader.ReadToEnd(), name);
        return template.HasErrors
            ? throw new InvalidOperationException($"template {name}: {string.Join("; ", template.Messages)}")
            : template;
    }
}
