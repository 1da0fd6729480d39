using Reconciler.Core.Diagnostics;
using Reconciler.Core.Specs;
using Reconciler.Specs.Resources;
using Scriban;

namespace Reconciler.Specs.Templates;

/// <summary>
/// Reads (out of the specs tree) and parses each template file once, however many declarations and hosts use it; a
/// reference's <see cref="TemplateReference.FullPath"/> is its resolved path in the tree.
/// </summary>
internal sealed class TemplateCatalog(ISpecTree tree, Func<string, string> displayPathOf, ICollection<Diagnostic> diagnostics)
{
    private readonly Dictionary<string, CompiledTemplate?> _compiled = new(StringComparer.Ordinal);

    /// <summary>The compiled template, or null when it is missing or invalid (reported once per problem).</summary>
    public CompiledTemplate? Get(TemplateReference reference)
    {
        if (tree.EntryAt(reference.FullPath) != SpecTreeEntry.RegularFile)
        {
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.TemplateMissing,
                $"template '{reference.WrittenPath}' not found (looked for {displayPathOf(reference.FullPath)})",
                reference.ReferencedAt));
            return null;
        }

        if (!_compiled.TryGetValue(reference.FullPath, out var compiled))
        {
            compiled = Compile(reference.FullPath);
            _compiled.Add(reference.FullPath, compiled);
        }

        return compiled;
    }

    private CompiledTemplate? Compile(string fullPath)
    {
        var displayPath = displayPathOf(fullPath);
        var text = SpecTextFile.TryRead(tree, fullPath, displayPath, diagnostics);
        if (text is null)
        {
            return null;
        }

        var template = Template.Parse(text, displayPath);
        if (template.HasErrors)
        {
            // Only the first: Scriban's later messages are mostly consequences of it (e.g. a missing 'end').
            var first = template.Messages.First(m => m.Type == Scriban.Parsing.ParserMessageType.Error);
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.TemplateSyntax,
                $"template syntax error: {first.Message}",
                new SourceLocation(displayPath, first.Span.Start.Line + 1, first.Span.Start.Column + 1)));
            return null;
        }

        // A template that breaks any rule is never rendered: not even its harmless parts run.
        var errorsBefore = diagnostics.Count;
        TemplateSandbox.Check(template, displayPath, diagnostics);
        var secretReads = TemplateSecretUse.Check(template, displayPath, diagnostics);
        if (diagnostics.Count > errorsBefore)
        {
            return null;
        }

        var reads = TemplateVariableScanner.Scan(template, displayPath);
        return new CompiledTemplate(
            displayPath,
            template,
            reads.Where(r => r.Name != TemplateRenderer.SecretFunction).ToList(),
            secretReads);
    }
}
